"""An alerting rule's severity label is missing or names no severity of the inventory.

## What it catches

An alerting rule without the severity label (`severity` unless
`lint.severity_label` says otherwise), or whose value maps to none of the
inventory's `severities`. A value maps to a severity when it is one of that
severity's `labels`, or its `id`. Values listed in `lint.exempt_severities` are
known too.

An unknown value is reported once, at the first rule that uses it, with the
number of rules and files that use it and a `severities:` entry to add: a rule
set that writes `s1`-`s4` gets four findings, not one per rule.

## Why it matters

Routing, paging and the runbook's own severity all hang on this label. A typo
(`critcal`) can route an alert nowhere, and lint cannot tell whether the alert
pages, so missing-runbook treats it as paging.

## Example

```yaml
- alert: CheckoutLatencyHigh
  labels:
    severity: page-now   # the inventory knows critical (labels: critical, page), warning, info
```

## How to fix

Use one of the known values, or teach the inventory the values your rules use
(the finding suggests where each one could go; whether it pages is yours to say):

```yaml
severities:
  - id: critical
    pages: true
    labels: [critical, page-now]
```
"""
from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.context import SEVERITY_LABEL, EXEMPT_SEVERITIES
from runbookgen.problems import did_you_mean

CODE = "RB006"
NAME = "unknown-severity"
LEVEL = "error"
OPTIONS = (SEVERITY_LABEL, EXEMPT_SEVERITIES)


def check(ctx):
    label = ctx.severity_label
    known = ctx.known_severity_values()
    unknown: dict[str, list] = {}
    for rule in ctx.ruleset.rules:
        if rule.kind != "alert":
            continue
        value = ctx.severity_value(rule)
        if value is None:
            yield Report(rule.where("labels"), f"alert {rule.name!r} has no {label} label "
                                               f"(known values: {', '.join(known)})", alert=rule.name)
        elif not ctx.is_exempt(rule) and ctx.severity_of(rule) is None:
            unknown.setdefault(value, []).append(rule)
    suggestions = suggested_severities(ctx, sorted(unknown))
    for value, rules in unknown.items():
        first = rules[0]
        hint = did_you_mean(value, known) or f" (known values: {', '.join(known)})"
        files = len({r.file for r in rules})
        used = (f"used by {len(rules)} alerting rules in {files} file{'s' if files != 1 else ''}, first here"
                if len(rules) > 1 else f"of alert {first.name!r}")
        alert = first.name if len(rules) == 1 else ""
        yield Report(first.where("labels", label), f"{label} {value!r} ({used}) is not a severity of the inventory"
                                                   f"{hint}; to map it, add it to a severity's labels, for example "
                                                   f"severities: {suggestions[value]}", alert=alert)


def suggested_severities(ctx, values: list[str]) -> dict[str, str]:
    """value -> a flow-style severities entry that maps it. Values that differ only by a number (s1-s4,
    P1-P5, sev1-sev3) are ranked: the lowest number goes to the inventory's first (most severe) severity, the
    next to the second, and so on; any other value to a severity of its own."""
    severities = list(ctx.inventory.severities)
    ranked = sorted((v for v in values if _rank(v) is not None), key=_rank)
    out = {}
    for index, value in enumerate(ranked):
        severity = severities[min(index, len(severities) - 1)] if severities else None
        if severity is None:
            break
        labels = ", ".join(dict.fromkeys((*severity.labels, value)) if severity.labels else (severity.id, value))
        out[value] = "- {id: " + severity.id + ", labels: [" + labels + "]}"
    for value in values:
        out.setdefault(value, "- {id: " + value + ", labels: [" + value + "]}")
    return out


def _rank(value: str):
    """(prefix, number) for values such as s1 or P2, else None."""
    head = value.rstrip("0123456789")
    return (head.lower(), int(value[len(head):])) if head != value and len(value) - len(head) <= 3 else None
