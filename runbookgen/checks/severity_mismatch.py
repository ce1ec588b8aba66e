"""A runbook's severity disagrees with its alerting rules.

## What it catches

An alert whose runbook says one severity while its rules' severity labels map to
another. When several rules share the alert's name (a `warning` and a `critical`
variant, a normal Prometheus pattern), the runbook must name the severity of one
of them, usually the most severe; the finding appears only when it matches none.
Rules whose label is unknown are left to unknown-severity.

## Why it matters

The site shows the runbook's severity, its response time and whether it pages;
the rule decides what actually happens. An engineer reading "warning, handle in
working hours" for an alert that pages has been told the wrong thing.

## Example

```yaml
# rules: labels: {severity: critical}
alerts:
  - name: CheckoutLatencyHigh
    severity: warning
```

## How to fix

Change whichever side is wrong. If the alert has variants, give the runbook the
severity of the most severe one and describe the others in its text.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.context import SEVERITY_LABEL, EXEMPT_SEVERITIES

CODE = "RB007"
NAME = "severity-mismatch"
LEVEL = "error"
OPTIONS = (SEVERITY_LABEL, EXEMPT_SEVERITIES)


def check(ctx):
    label = ctx.severity_label
    for name, rules in ctx.rules_by_name.items():
        alert = ctx.inventory.alert(name)
        mapped = [(r, ctx.severity_of(r)) for r in rules if not ctx.is_exempt(r)]
        mapped = [(r, s) for r, s in mapped if s is not None]
        if alert is None or not mapped or alert.severity in {s.id for _, s in mapped}:
            continue
        rule, severity = mapped[0]
        where = f"{alert.pos.file}:{alert.pos.line}"
        if len(mapped) == 1:
            value = ctx.severity_value(rule)
            mapped_to = f" (severity {severity.id!r})" if value != severity.id else ""
            message = (f"alert {name!r} has {label}={value!r}{mapped_to}, but its runbook ({where}) says "
                       f"{alert.severity!r}")
        else:
            found = ", ".join(sorted({s.id for _, s in mapped}))
            message = (f"none of the {len(mapped)} rules of alert {name!r} (severities {found}) has the severity "
                       f"its runbook ({where}) gives, {alert.severity!r}")
        yield Report(rule.where("labels", label), message, alert=name)
