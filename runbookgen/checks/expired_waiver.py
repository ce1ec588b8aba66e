"""A waiver has passed its expiry date.

## What it catches

An entry under `lint.waivers` whose `expires` date is before today. An expired
waiver no longer hides anything: the finding it covered is reported again, and
this finding says why.

## Why it matters

Waivers are meant to be temporary: "we know, we will fix it by the end of the
quarter". An expiry date turns a forgotten exception into a visible one.

## Example

```yaml
lint:
  waivers:
    - alert: LegacyBatchJobFailed
      check: missing-runbook
      reason: Batch system is being retired in Q1
      expires: 2025-03-31
```

## How to fix

Fix the finding and delete the waiver, or, if the reason still holds, set a new
`expires` date and say in `reason` why more time is needed.
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB016"
NAME = "expired-waiver"
LEVEL = "warning"
AFTER_WAIVERS = True


def check(ctx):
    for waiver in ctx.settings.waivers:
        if waiver.expires < ctx.today:
            yield Report(waiver.pos, f"waiver of {waiver.check} for alert {waiver.alert!r} expired on "
                                     f"{waiver.expires.isoformat()} ({waiver.reason})", alert=waiver.alert)
