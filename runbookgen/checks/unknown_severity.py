"""An alerting rule's severity label is missing or names no severity of the inventory.

## What it catches

An alerting rule without the severity label (`severity` unless
`lint.severity_label` says otherwise), or whose value maps to none of the
inventory's `severities`. A value maps to a severity when it is one of that
severity's `labels`, or its `id`. Values listed in `lint.exempt_severities` are
known too.

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

Use one of the known values, or teach the inventory the value your rules use:

```yaml
severities:
  - id: critical
    pages: true
    labels: [critical, page-now]
```
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.problems import did_you_mean

CODE = "RB006"
NAME = "unknown-severity"
LEVEL = "error"


def check(ctx):
    label = ctx.severity_label
    known = ctx.known_severity_values()
    for rule in ctx.ruleset.rules:
        if rule.kind != "alert":
            continue
        value = ctx.severity_value(rule)
        if value is None:
            yield Report(rule.where("labels"), f"alert {rule.name!r} has no {label} label "
                                               f"(known values: {', '.join(known)})", alert=rule.name)
        elif not ctx.is_exempt(rule) and ctx.severity_of(rule) is None:
            hint = did_you_mean(value, known) or f" (known values: {', '.join(known)})"
            yield Report(rule.where("labels", label), f"alert {rule.name!r}: {label} {value!r} is not a severity "
                                                      f"of the inventory{hint}", alert=rule.name)
