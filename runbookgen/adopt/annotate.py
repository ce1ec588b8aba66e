"""``runbookgen annotate``: point every alerting rule's ``runbook_url`` at its runbook.

Only alerts that have a runbook in the inventory are annotated: a URL to a page
that does not exist would send the on-call engineer nowhere (``runbookgen
import`` adds the missing entries first). The URL is the alert's page on the
site, or, for an alert whose runbook lives elsewhere (the inventory entry's own
``runbook_url``), that address: links a team already has are kept. Rules already
carrying the right URL are left alone, so a second run finds nothing to do.

Files are edited by ``rule_edit`` (splices at known offsets, verified by reading
the result again). A rule that cannot be edited exactly is named with its reason
and left as it is; the other rules of the file are still edited.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable

from runbookgen.adopt.files import Source, read_source, write_file
from runbookgen.adopt.rule_edit import ANNOTATIONS, KEY, Refused, Splice, plan_splice
from runbookgen.adopt.rule_nodes import RuleSite, alert_sites
from runbookgen.adopt.splice_check import apply_splices, verified
from runbookgen.yamlread.tree import Node, read_tree, signatures
from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.rules import RuleSet

NOT_FOUND = ("annotate cannot tell which mapping holds this rule's annotations: the {source} is read, but the "
             "rule's own mapping does not write its alert: (Grafana: title:); a merge key '<<' brings it in, or the "
             "shape is not one annotate edits")
READ_ONLY = ("the file is read-only (mode {mode:04o}), so annotate leaves it as it is; make it writable to have "
             "it edited")
NOT_WRITTEN = "the file could not be written ({why}), so it was left as it was"
NOT_EXACT = ("an edit here would not read back as only a new runbook_url (checked by reading the file again), so "
             "it was not made")


@dataclass(frozen=True)
class AnnotationChange:
    """One rule whose runbook_url is missing or points elsewhere."""

    pos: Position  # the current value, or the alert: key when there is none
    alert: str
    old: str | None
    new: str
    splices: tuple[Splice, ...] = ()  # ways to make it, best first

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.pos}: alert {self.alert!r}: runbook_url missing; would set {self.new}"
        return f"{self.pos}: alert {self.alert!r}: runbook_url is {self.old}; would set {self.new}"


@dataclass(frozen=True)
class AnnotationRefusal:
    """One rule whose runbook_url cannot be set exactly, and why."""

    pos: Position
    alert: str
    new: str
    reason: str

    def __str__(self) -> str:
        return f"{self.pos}: alert {self.alert!r}: cannot set runbook_url: {self.reason}; set it by hand to {self.new}"


@dataclass
class FilePlan:
    source: Source
    text: str  # the new text
    changes: list[AnnotationChange]


@dataclass
class AnnotatePlan:
    files: dict[str, FilePlan] = field(default_factory=dict)  # shown path -> plan, for files with changes
    refused: list[AnnotationRefusal] = field(default_factory=list)
    unchanged: int = 0  # rules whose runbook_url is already right
    without_runbook: list[str] = field(default_factory=list)  # alert names the inventory lacks, in file order

    @property
    def changes(self) -> dict[str, list[AnnotationChange]]:
        return {shown: plan.changes for shown, plan in self.files.items()}

    @property
    def all_changes(self) -> list[AnnotationChange]:
        return [c for shown in sorted(self.files) for c in self.files[shown].changes]


def plan_annotations(inventory: Inventory, ruleset: RuleSet, url_of: Callable[[str], str]) -> AnnotatePlan:
    """What annotate would change in the files of ``ruleset``; InputError for files it cannot read."""
    plan = AnnotatePlan()
    problems: list[Problem] = []
    seen_missing: set[str] = set()
    alerts_in: dict[str, list] = {}
    for rule in ruleset.rules:
        if rule.is_alert:
            alerts_in.setdefault(rule.file, []).append(rule)
    for shown in ruleset.files:
        try:
            source = read_source(shown)
            roots = read_tree(source.text, shown)
        except InputError as err:  # unreadable, or not YAML (a YamlError)
            problems += err.problems
            continue
        changes: list[AnnotationChange] = []
        sites = alert_sites(roots)
        _unplaced(alerts_in.get(shown, []), sites, inventory, url_of, plan.refused)
        for site in sites:
            alert = inventory.alert(site.name)
            if alert is None:
                if site.name not in seen_missing:
                    seen_missing.add(site.name)
                    plan.without_runbook.append(site.name)
                continue
            wanted = getattr(alert, "runbook_url", "") or url_of(site.name)
            old, where = current_url(site)
            if old == wanted:
                plan.unchanged += 1
                continue
            pos = Position(shown, where[0], where[1])
            try:
                splices = tuple(plan_splice(source.text, site, wanted))
            except Refused as why:
                plan.refused.append(AnnotationRefusal(Position(shown, why.line, why.col), site.name, wanted,
                                                      why.message))
                continue
            changes.append(AnnotationChange(pos, site.name, old, wanted, splices))
        mode = _read_only_mode(shown) if changes else None
        if mode is not None:
            plan.refused += [AnnotationRefusal(c.pos, c.alert, c.new, READ_ONLY.format(mode=mode)) for c in changes]
            changes = []
        if changes:
            text, changes = _checked(source.text, changes, plan.refused)
            if changes:
                plan.files[shown] = FilePlan(source, text, changes)
    if problems:
        raise InputError(problems)
    plan.refused.sort(key=lambda r: (r.pos.file, r.pos.line, r.pos.col))
    return plan


def _read_only_mode(path: str) -> int | None:
    """The permission bits of a file nobody may write (or this user may not), else None.

    The bits are read, not only ``os.access``: a file made read-only on purpose stays unedited for root too.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if mode & 0o222 and os.access(path, os.W_OK):
        return None
    return stat.S_IMODE(mode)


def _unplaced(rules: list, sites: list[RuleSite], inventory: Inventory, url_of, refused: list) -> None:
    """Refusals for the alerting rules the rulers read in a file that annotate found no place for: a shape the
    readers know and the editor does not is named, never passed over in silence."""
    placed: dict[str, int] = {}
    for site in sites:
        placed[site.name] = placed.get(site.name, 0) + 1
    for rule in rules:
        if placed.get(rule.name, 0) > 0:
            placed[rule.name] -= 1
            continue
        alert = inventory.alert(rule.name)
        if alert is not None:
            wanted = getattr(alert, "runbook_url", "") or url_of(rule.name)
            if rule.annotation(KEY) != wanted:
                refused.append(AnnotationRefusal(rule.pos, rule.name, wanted, NOT_FOUND.format(source=rule.source)))


def current_url(site: RuleSite) -> tuple[str | None, tuple[int, int]]:
    """The rule's runbook_url as the ruler reads it (None when missing or not text), and where it (or the rule) is.

    Merge keys count: a value brought in by ``<<`` (into the annotations, or the whole rule) is the rule's value.
    """
    value = _merged(site.rule, ANNOTATIONS)
    mapping = value.resolved() if value is not None else None
    found = _merged(mapping, KEY) if mapping is not None and mapping.kind == "map" else None
    if found is not None:
        data = found.resolved()
        if data.kind == "scalar" and (data.style or data.value not in ("", "~", "null", "Null", "NULL")):
            return data.value, (found.line, found.col)
        return None, (found.line, found.col)
    return None, (site.line, site.col)


def _merged(mapping: Node, key: str, depth: int = 0) -> Node | None:
    """``key``'s value in a mapping as YAML's merge keys resolve it: its own entry, else the first merged source's."""
    own = mapping.get(key)
    if own:
        return own[-1][1]
    if depth > 20:
        return None
    for _, value in mapping.get("<<"):
        sources = value.resolved()
        for source in (sources.items if sources.kind == "seq" else [sources]):
            source = source.resolved()
            if source.kind == "map":
                found = _merged(source, key, depth + 1)
                if found is not None:
                    return found
    return None


def _checked(text: str, changes: list[AnnotationChange], refused: list) -> tuple[str, list[AnnotationChange]]:
    """The text with every change that reads back exactly; the others are moved to ``refused``."""
    original = signatures(text)
    chosen = {id(c): c.splices[0] for c in changes}
    result = apply_splices(text, list(chosen.values()))
    if verified(original, result, list(chosen.values())):
        return result, changes
    good = []
    for change in changes:  # find the culprits: each change alone, each of its ways in turn
        way = next((s for s in change.splices if verified(original, apply_splices(text, [s]), [s])), None)
        if way is None:
            refused.append(AnnotationRefusal(change.pos, change.alert, change.new, NOT_EXACT))
        else:
            chosen[id(change)] = way
            good.append(change)
    splices = [chosen[id(c)] for c in good]
    result = apply_splices(text, splices)
    if not verified(original, result, splices):  # each alone is fine, together not: keep none (a bug if ever seen)
        refused += [AnnotationRefusal(c.pos, c.alert, c.new, NOT_EXACT) for c in good]
        return text, []
    return result, good


def apply_annotations(plan: AnnotatePlan) -> dict[str, int]:
    """Write the planned changes; file -> number of rules changed.

    A file that cannot be written does not stop the others: its rules are added to ``plan.refused`` with the
    reason.
    """
    written: dict[str, int] = {}
    for shown in sorted(plan.files):
        file_plan = plan.files[shown]
        try:
            write_file(shown, file_plan.text, shown=shown, bom=file_plan.source.bom)
        except InputError as err:
            why = "; ".join(p.message.removeprefix("cannot write: ") for p in err.problems)
            plan.refused += [AnnotationRefusal(c.pos, c.alert, c.new, NOT_WRITTEN.format(why=why))
                             for c in file_plan.changes]
            continue
        written[shown] = len(file_plan.changes)
    plan.refused.sort(key=lambda r: (r.pos.file, r.pos.line, r.pos.col))
    return written
