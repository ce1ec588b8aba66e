"""A runbook is still a draft stub.

## What it catches

An inventory alert with `status: draft`, the status `runbookgen import` gives the
stubs it writes for alerts that had no runbook.

## Why it matters

A stub satisfies missing-runbook, but it tells the on-call engineer nothing. This
check keeps the stubs visible until someone writes them.

## Example

```yaml
alerts:
  - name: CheckoutLatencyHigh
    severity: warning
    summary: "TODO: what is happening"
    status: draft
```

## How to fix

Write the runbook (what it means, how to investigate, how to mitigate), then
remove `status: draft` and set `last_reviewed`.
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB014"
NAME = "draft-runbook"
LEVEL = "warning"


def check(ctx):
    for alert in ctx.inventory.alerts:
        if alert.status == "draft":
            yield Report(alert.where("status"), f"runbook {alert.name!r} is still a draft stub",
                         alert=alert.name)
