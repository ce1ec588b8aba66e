"""A runbook for a paging alert lacks investigation, mitigation or escalation.

## What it catches

A runbook whose severity pages (`pages: true` in `severities`) but that has no
`investigation` steps, no `mitigation` (immediate, short-term or long-term), or
no escalation path: neither its own `escalation`, nor its severity's, nor the service's. Draft stubs
are left to draft-runbook.

## Why it matters

A page wakes someone up. They need to know what to look at first, how to stop the
bleeding, and whom to call when that does not work; a summary and a description
are not enough.

## Example

```yaml
alerts:
  - name: CheckoutDown
    severity: critical      # pages
    summary: Checkout returns errors for every request
    # no investigation, no mitigation, and service.escalation is empty
```

## How to fix

Write the missing sections; the message lists them. An escalation path written
once under `service.escalation` covers every alert.
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB012"
NAME = "incomplete-runbook"
LEVEL = "error"


def check(ctx):
    inv = ctx.inventory
    for alert in inv.alerts:
        severity = inv.severity(alert.severity)
        if severity is None or not severity.pages or alert.status == "draft":
            continue
        missing = [what for what, present in (("investigation steps", alert.investigation),
                                              ("mitigation", alert.mitigation),
                                              ("escalation path", alert.escalation or severity.escalation
                                                                  or inv.service.escalation))
                   if not present]
        if missing:
            yield Report(alert.pos, f"runbook {alert.name!r} is for a paging severity ({severity.id}) but has no "
                                    f"{', no '.join(missing)}", alert=alert.name)
