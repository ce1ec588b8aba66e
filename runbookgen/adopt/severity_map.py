"""Severity label values the inventory does not know: found before import writes, mapped, suggested.

Rule sets use their own severity words (GitLab's ``s1``-``s4``, ``P1``, ``page``,
``high``). A stub must name one of the inventory's severities, so import looks at
every value first: values that a severity lists under ``labels`` (or is named by
its ``id``), or that ``lint.exempt_severities`` lists, are known; the others must
be mapped, either in the inventory or with ``--severity-map value=id,...``.
Nothing is written while a value is unmapped; the report suggests a mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from runbookgen.inventory.model import Inventory
from runbookgen.rules.model import Rule

MOST = frozenset(("critical", "crit", "fatal", "emergency", "emerg", "alert", "page", "paging", "high", "major",
                  "urgent", "error", "severe", "blocker", "disaster"))
MIDDLE = frozenset(("warning", "warn", "medium", "moderate", "minor", "average"))
LEAST = frozenset(("info", "informational", "low", "notice", "none", "debug", "trivial", "ticket", "notification"))
_RANKED = re.compile(r"([^\d]*?)[-_ ]?(\d+)")


@dataclass(frozen=True)
class UnknownValue:
    value: str
    rules: int  # how many alerting rules carry it
    first: Rule  # where it is first seen


def parse_severity_map(text: str, inventory: Inventory) -> tuple[dict[str, str], list[str]]:
    """``s1=critical,s2=warning`` -> {"s1": "critical", ...}, and what is wrong with it."""
    mapping: dict[str, str] = {}
    errors: list[str] = []
    ids = [s.id for s in inventory.severities]
    for part in filter(None, (p.strip() for p in text.split(","))):
        value, sep, target = (x.strip() for x in part.partition("="))
        if not sep or not value or not target:
            errors.append(f"{part!r} is not value=severity")
        elif target not in ids:
            errors.append(f"{target!r} is not a severity of the inventory (it has {', '.join(ids)})")
        else:
            mapping[value] = target
    return mapping, errors


def severity_of_value(inventory: Inventory, value: str | None, mapping: dict[str, str]) -> int | None:
    """The index in ``inventory.severities`` (most severe first) a label value maps to, or None."""
    if value is None:
        return None
    for index, severity in enumerate(inventory.severities):
        if value in severity.labels:
            return index
    for index, severity in enumerate(inventory.severities):
        if value == severity.id:
            return index
    if value in mapping:
        return next(i for i, s in enumerate(inventory.severities) if s.id == mapping[value])
    return None


def unknown_values(inventory: Inventory, rules: list[Rule], label: str, mapping: dict[str, str]) -> list[UnknownValue]:
    """Every severity label value of ``rules`` that maps to nothing, in order of first appearance."""
    exempt = set(inventory.lint.exempt_severities)
    counts: dict[str, list] = {}
    for rule in rules:
        value = rule.label(label)
        if value is None or value in exempt or severity_of_value(inventory, value, mapping) is not None:
            continue
        counts.setdefault(value, [0, rule])[0] += 1
    return [UnknownValue(value, count, first) for value, (count, first) in counts.items()]


def suggest(inventory: Inventory, values: list[str]) -> dict[str, str]:
    """A guess at a mapping: words by meaning, numbered values (s1, P2, sev3) spread from most to least severe."""
    ids = [s.id for s in inventory.severities]
    last = len(ids) - 1
    guess: dict[str, str] = {}
    numbered = sorted((int(m.group(2)), v) for v in values if (m := _RANKED.fullmatch(v.lower())))
    for rank, (_number, value) in enumerate(numbered):
        guess[value] = ids[min(rank * len(ids) // max(len(numbered), 1), last)]
    for value in values:
        if value in guess:
            continue
        word = value.lower()
        index = 0 if word in MOST else (min(1, last) if word in MIDDLE else last)
        guess[value] = ids[index]
    return guess


def map_option(mapping: dict[str, str]) -> str:
    return ",".join(f"{value}={target}" for value, target in mapping.items())


def severities_block(inventory: Inventory, mapping: dict[str, str]) -> str:
    """A ``severities:`` block: the inventory's severities with the mapped values added to their labels."""
    from runbookgen.adopt.scalar_style import value_text
    from runbookgen.adopt.yamltext import scalar

    lines = ["severities:"]
    for severity in inventory.severities:
        labels = list(severity.labels) + [v for v, target in mapping.items() if target == severity.id]
        lines.append(f"  - id: {scalar(severity.id, 6)}")
        if severity.name and severity.name != severity.id:
            lines.append(f"    name: {scalar(severity.name, 6)}")
        if severity.description:
            lines.append(f"    description: {scalar(severity.description, 6)}")
        lines.append(f"    pages: {'true' if severity.pages else 'false'}")
        if severity.response_time:
            lines.append(f"    response_time: {scalar(severity.response_time, 6)}")
        if severity.color:
            lines.append(f"    color: {scalar(severity.color, 6)}")
        lines.append("    labels: [" + ", ".join(value_text(v, "", flow=True) for v in labels) + "]")
    return "\n".join(lines) + "\n"


def labels_to_add(mapping: dict[str, str]) -> str:
    """'critical: s1, s2; warning: s3' for the values to list under each severity's labels."""
    by_target: dict[str, list[str]] = {}
    for value, target in mapping.items():
        by_target.setdefault(target, []).append(value)
    return "; ".join(f"{target}: {', '.join(values)}" for target, values in by_target.items())
