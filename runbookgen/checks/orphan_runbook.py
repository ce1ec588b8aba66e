"""A runbook's alert is not in any rule file.

## What it catches

An entry under `alerts:` whose `name` matches no alerting rule in the rule files
that were read. Entries with `status: deprecated` are left alone: that status says
the alert is on its way out and the page is kept on purpose.

## Why it matters

An alert that was renamed or deleted leaves its runbook behind. Nobody will be
sent to the page again, and the alert that replaced it probably has none. The
finding often comes with a missing-runbook finding for the new name.

## Example

```yaml
alerts:
  - name: KubeJobCompletion   # the rules now call it KubeJobNotCompleted
    severity: warning
    summary: Job did not complete in time
```

## How to fix

Rename the entry after the alert, or delete it, or mark it `status: deprecated`
while the old alert is still deployed somewhere. Check that `lint.rules` (or
`--rules`) lists every rule file: an orphan can also mean a file was not read.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.problems import did_you_mean

CODE = "RB002"
NAME = "orphan-runbook"
LEVEL = "error"


def check(ctx):
    files = len(ctx.ruleset.files)
    recorded = {r.name for r in ctx.ruleset.rules if r.kind == "record"}
    for alert in ctx.inventory.alerts:
        if alert.name in ctx.rules_by_name or alert.status == "deprecated":
            continue
        hint = did_you_mean(alert.name, ctx.rules_by_name) or (
            " (a recording rule has that name)" if alert.name in recorded else "")
        yield Report(alert.pos, f"runbook {alert.name!r} matches no alerting rule in the {files} rule "
                                f"file{'s' if files != 1 else ''} read{hint}", alert=alert.name)
