"""An alerting rule has no runbook in the inventory.

## What it catches

An alert name that appears in the rule files (as `alert: Name`) but has no entry
with that `name` under `alerts:` in the inventory. Several rules may share one
name, typically a `warning` and a `critical` variant with different thresholds;
one runbook covers them all, and the finding is reported once, at the first rule.

## Why it matters

When the alert fires at 3 a.m., its `runbook_url` leads nowhere, and the on-call
engineer starts from nothing.

## Level

The alert's severity sets the level: **error** when the rule's severity label maps
to an inventory severity that pages (or to none at all), **warning** otherwise.
A level set for this check under `lint.checks` applies to every alert instead.
Alerts whose severity label is listed in `lint.exempt_severities` (for example
`none`, used by `Watchdog`) need no runbook and are not reported.

## Example

```yaml
# rules/app.yaml
groups:
  - name: app
    rules:
      - alert: CheckoutLatencyHigh   # no alert named CheckoutLatencyHigh in runbooks.yaml
        expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1
        labels: {severity: critical}
```

## How to fix

Add the runbook: `runbookgen import --rules rules/` writes a `status: draft` stub
for every alert that lacks one; fill it in. Alerts that are not meant for humans
can be exempted by severity:

```yaml
lint:
  exempt_severities: [none]
```
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.context import SEVERITY_LABEL, EXEMPT_SEVERITIES
from runbookgen.problems import display_path

CODE = "RB001"
NAME = "missing-runbook"
LEVEL = "error"
OPTIONS = (SEVERITY_LABEL, EXEMPT_SEVERITIES)


def check(ctx):
    inventory_file = display_path(ctx.inventory.path)
    for name, rules in ctx.rules_by_name.items():
        if ctx.inventory.alert(name):
            continue
        needing = [r for r in rules if not ctx.is_exempt(r)]
        if not needing:
            continue
        first = needing[0]
        levels = {ctx.level_for_rule(r) for r in needing}
        also = ""
        if len(needing) > 1:
            others = ", ".join(f"{r.file}:{r.line}" if r.file != first.file else f"line {r.line}"
                               for r in needing[1:])
            also = f" ({len(needing)} rules; also {others})"
        yield Report(first.pos, f"alert {name!r} has no runbook in {inventory_file}{also}", alert=name,
                     level="error" if "error" in levels else "warning")
