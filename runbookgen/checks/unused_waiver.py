"""A waiver matches no finding.

## What it catches

An entry under `lint.waivers`, not yet expired, that hid nothing in this run: the
problem was fixed, the alert was renamed, or the waiver names the wrong check or
alert.

## Why it matters

A waiver that waives nothing is noise today and a blind spot tomorrow: if the
problem comes back, it is hidden again without anyone deciding so.

## Example

```yaml
lint:
  waivers:
    - alert: CheckoutLatencyHigh     # now has a runbook
      check: missing-runbook
      reason: Runbook being written
      expires: 2099-01-01
```

## How to fix

Delete the waiver, or correct its `alert` or `check`.
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB017"
NAME = "unused-waiver"
LEVEL = "info"
AFTER_WAIVERS = True


def check(ctx):
    for waiver in ctx.settings.waivers:
        if waiver.expires >= ctx.today and not ctx.waiver_uses.get(waiver):
            yield Report(waiver.pos, f"waiver of {waiver.check} for alert {waiver.alert!r} matches no finding",
                         alert=waiver.alert)
