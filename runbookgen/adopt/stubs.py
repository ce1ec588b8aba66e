"""Decide the draft runbook entries ``runbookgen import`` adds: one per alert name without a runbook.

Several rules may share a name (a ``warning`` and a ``critical`` variant of one
alert); one runbook covers them, so they give one stub. Its severity is the most
severe that their severity labels map to, and its ``expr``/``for`` are those of
that rule, so that severity-mismatch and expression-drift agree with it.

A severity label value maps to the inventory severity that lists it under
``labels`` (else the one whose ``id`` it is), the rule lint uses. A value nothing
maps (or a missing label) gets the least severe severity, the last one listed,
with a TODO comment saying so: a stub must name a severity, and guessing low
keeps an unreviewed stub from claiming to page anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from runbookgen.adopt.severity_map import UnknownValue, severity_of_value, unknown_values
from runbookgen.checks.runbook_url_malformed import url_problem
from runbookgen.durations import is_duration
from runbookgen.inventory.model import Alert, Inventory
from runbookgen.addresses import slugify
from runbookgen.problems import Position
from runbookgen.rulers import UNCHECKED
from runbookgen.rules.model import Rule

ALERT_NAME = re.compile(r"(?=[^\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*[^\s\x00-\x1f\x7f])"
                        r"[^\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]{1,256}")  # the schema's alert_name
URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]{1,2040}")  # the schema's url
SUMMARY_ANNOTATIONS = ("summary", "message", "title")
OWN_ANNOTATIONS = frozenset(("summary", "description", "runbook_url"))  # the stub's own keys hold these


@dataclass(frozen=True)
class Stub:
    """One draft entry to append, and what the author must be told about it."""

    name: str
    severity: str
    summary: str
    rule: Rule  # the rule it was made from
    description: str = ""
    expr: str = ""
    for_: str = ""
    keep_firing_for: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    datasource: str = ""
    severity_note: str = ""  # why the severity is a guess, when it is
    notes: tuple[str, ...] = ()  # other TODOs, written as comments
    runbook_url: str = ""  # the rule's own link, kept: the runbook lives there
    dropped_link: str = ""  # the rule's own link, not kept (templated or relative): annotate will replace it
    dropped_at: Position | None = None  # where that link is written
    annotations: tuple[tuple[str, str], ...] = ()  # the rule's other annotations
    group: dict | None = None  # the rule's group: name and settings
    variants: tuple = ()  # the other rules of this name, as dicts in the inventory's variants: shape

    def dropped_link_warning(self) -> str:
        return (f"{self.dropped_at}: alert {self.name!r}: its runbook_url {self.dropped_link!r} is not a plain "
                "http(s) URL (templated or relative), so it is not kept: runbookgen annotate will point the rule at "
                "the alert's page here; to keep a link elsewhere, write it as a plain URL in the entry's runbook_url "
                "first")


@dataclass(frozen=True)
class ImportPlan:
    stubs: tuple[Stub, ...]
    existing: int  # alert names in the rules that already have a runbook
    exempt: tuple[str, ...] = ()  # names whose every rule has an exempt severity
    refused: tuple[tuple[Rule, str], ...] = ()  # (first rule, why no stub can be written)
    unknown: tuple[UnknownValue, ...] = ()  # severity label values nothing maps: nothing may be written
    fixes: tuple[tuple[Alert, Stub], ...] = ()  # draft entries whose severity the mapping now gives differently


def plan_import(inventory: Inventory, rules: tuple[Rule, ...], *, severity_map: dict[str, str] | None = None,
                page_url: Callable[[str], str] | None = None, groups: dict | None = None) -> ImportPlan:
    """The stubs for every alert name in ``rules`` (in rule-file order) that the inventory lacks.

    ``severity_map`` maps label values the inventory does not list; ``page_url`` gives an alert's page
    on the site, so that a rule's runbook_url pointing anywhere else is recorded on its stub.
    """
    mapping = severity_map or {}
    by_name: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.kind == "alert":
            by_name.setdefault(rule.name, []).append(rule)
    label = inventory.lint.severity_label or "severity"
    exempt_values = set(inventory.lint.exempt_severities)
    taken = {alert.slug: alert.name for alert in inventory.alerts}
    stubs, exempt, refused, fixes, existing = [], [], [], [], 0
    unknown = unknown_values(inventory, [r for named in by_name.values() for r in named], label, mapping)
    for name, named_rules in by_name.items():
        known = inventory.alert(name)
        if known:
            existing += 1
            if known.status == "draft" and known.pos.file == inventory.path:
                stub = _stub(inventory, name, named_rules, label, mapping, page_url, groups or {})
                if stub.severity != known.severity and not stub.severity_note:
                    fixes.append((known, stub))
            continue
        if all(r.label(label) in exempt_values for r in named_rules):
            exempt.append(name)
            continue
        why = _refusal(name, taken)
        if why:
            refused.append((named_rules[0], why))
            continue
        taken[slugify(name)] = name
        stubs.append(_stub(inventory, name, named_rules, label, mapping, page_url, groups or {}))
    return ImportPlan(tuple(stubs), existing, tuple(exempt), tuple(refused), tuple(unknown), tuple(fixes))


def _refusal(name: str, taken: dict[str, str]) -> str:
    if not ALERT_NAME.fullmatch(name):
        return "its name holds control or invisible formatting characters, is blank or is longer than 256 characters; rename the alert"
    slug = slugify(name)
    if slug in taken:
        return (f"its page name {slug!r} is the same as that of alert {taken[slug]!r} (page names ignore case "
                "and punctuation); rename one of them")
    return ""


def _stub(inventory: Inventory, name: str, rules: list[Rule], label: str, mapping: dict[str, str],
          page_url: Callable[[str], str] | None, groups: dict) -> Stub:
    ranked = [(severity_of_value(inventory, r.label(label), mapping), n, r) for n, r in enumerate(rules)]
    mapped = sorted((rank, n, r) for rank, n, r in ranked if rank is not None)
    rule = mapped[0][2] if mapped else rules[0]
    lowest = inventory.severities[-1].id
    severity, severity_note = (inventory.severities[mapped[0][0]].id, "") if mapped else (lowest, "")
    if not mapped:
        values = sorted({v for v in (r.label(label) for r in rules) if v is not None})
        if values:
            shown = ", ".join(repr(v) for v in values)
            severity_note = (f"TODO: {label} {shown} maps to no severity, so this is the least severe one; list "
                             f"the value under a severity's labels (or lint.exempt_severities) and set it here")
        else:
            severity_note = f"TODO: the rule has no {label} label, so this is the least severe severity; check it"
    notes = []
    if len(rules) > 1:
        values = ", ".join(sorted({str(r.label(label)) for r in rules}))
        notes.append(f"{len(rules)} rules are named {name} ({label}: {values}); one runbook covers them all. "
                     f"expr and for are those of the rule at {rule.file}:{rule.line}; variants: holds the others.")
    for_ = rule.for_ if is_duration(rule.for_ or "") else ""
    keep = rule.keep_firing_for if is_duration(rule.keep_firing_for or "") else ""
    datasource = ""
    if rule.dialect in UNCHECKED and rule.expr:  # no datasource type of the inventory runs it: name none rather than a wrong one
        notes.append(f"expr is {UNCHECKED[rule.dialect]}, as the {rule.ruler} ruler reads its rule: there is no "
                     "grammar for it here, so lint reports it as unchecked (RB022) and names no datasource for it; "
                     + {"vmalert": "export-rules writes it to vmalert.rules.yaml, unchecked",
                        "grafana": "export-rules leaves it out (Grafana evaluates it)"}.get(rule.ruler,
                                                                                           "export-rules leaves it as is"))
    elif rule.dialect == "loki":
        source = next((d for d in inventory.datasources if d.type == "loki"), None)
        if source:
            datasource = source.name
        else:
            notes.append("TODO: this is a Loki rule; add a datasource of type loki and name it here "
                         "(datasource: ...) so that export-rules writes it as a Loki rule.")
    summary = next((v for v in map(rule.annotation, SUMMARY_ANNOTATIONS) if v and v.strip()), "")
    if not summary:
        summary = next((v for r in rules for v in map(r.annotation, SUMMARY_ANNOTATIONS) if v and v.strip()), "")
    description = rule.annotation("description") or next(
        (r.annotation("description") for r in rules if r.annotation("description")), "")
    runbook_url, dropped_link = _existing_link(name, rule, rules, page_url, notes)
    dropped_at = next((r.where("annotations", "runbook_url") for r in [rule, *rules]
                       if (r.annotation("runbook_url") or "").strip() == dropped_link), None) if dropped_link else None
    return Stub(
        name=name, severity=severity, severity_note=severity_note, rule=rule, runbook_url=runbook_url,
        dropped_link=dropped_link, dropped_at=dropped_at,
        summary=summary.strip() or f"TODO: one line saying what is happening when {name} fires",
        description=(description or "").strip(), expr=(rule.expr or "").strip("\n"), for_=for_,
        keep_firing_for=keep, labels=tuple((k, str(v)) for k, v in rule.labels if k != label),
        datasource=datasource, notes=tuple(notes), group=_group(rule, groups),
        variants=tuple(_variant(inventory, r, label, mapping, groups) for r in rules if r is not rule),
        annotations=tuple((k, v) for k, v in rule.annotations if k not in OWN_ANNOTATIONS and v is not None),
    )


def _existing_link(name: str, rule: Rule, rules: list[Rule], page_url, notes: list[str]) -> tuple[str, str]:
    """(the rule's runbook_url when it points somewhere other than the alert's page here: it is kept; the rule's
    runbook_url when it is not a plain http(s) URL, which cannot be kept: annotate will replace it)."""
    links = [u.strip() for u in (r.annotation("runbook_url") for r in [rule, *rules]) if u and u.strip()]
    if not links:
        return "", ""
    link = links[0]
    if page_url is not None:
        from runbookgen.checks.runbook_url_mismatch import comparable

        if comparable(link) == comparable(page_url(name)):
            return "", ""
    if url_problem(link) or not URL.fullmatch(link):
        notes.append(f"TODO: the rule's runbook_url {link!r} is not a plain http(s) URL, so it is not recorded "
                     "here; annotate will point the rule at this runbook's page")
        return "", link
    if len(set(links)) > 1:
        notes.append(f"The rules named {name} link to {len(set(links))} runbooks; this one is the first's.")
    return link, ""


def _group(rule: Rule, groups: dict) -> dict | None:
    if not rule.group:
        return None
    settings = dict(groups.get((rule.file, rule.group), {}))
    for key in ("interval", "query_offset"):
        if key in settings and not is_duration(settings[key]):
            del settings[key]
    return {"name": rule.group, **settings}


def _variant(inventory: Inventory, rule: Rule, label: str, mapping: dict, groups: dict) -> dict:
    """Another rule of the same name, as an entry of ``variants:``."""
    rank = severity_of_value(inventory, rule.label(label), mapping)
    variant: dict = {"severity": inventory.severities[rank if rank is not None else -1].id,
                     "expr": (rule.expr or "").strip("\n")}
    for key, value in (("for", rule.for_), ("keep_firing_for", rule.keep_firing_for)):
        if value and is_duration(value):
            variant[key] = value
    labels = {k: str(v) for k, v in rule.labels if k != label}
    annotations = {k: v for k, v in rule.annotations if k != "runbook_url" and v is not None}
    group = _group(rule, groups)
    for key, value in (("labels", labels), ("annotations", annotations), ("group", group)):
        if value:
            variant[key] = value
    return variant
