"""Two inventory entries have the same alert name.

## What it catches

A second entry under `alerts:` (possibly in another file brought in by
`include:`) with a `name` that an earlier entry already has. Lint keeps the first
and reports the others.

Several *rules* sharing one alert name is different, and fine: a `warning` and a
`critical` variant of one alert are covered by one runbook.

## Why it matters

One alert, one page, one URL. With two entries, one of them is silently not the
page the alert links to, and edits go to the wrong one.

## Example

```yaml
alerts:
  - name: KubePodCrashLooping
    severity: warning
    summary: A pod restarts over and over
  # ... 300 lines later, in an included file
  - name: KubePodCrashLooping
    severity: critical
    summary: Pod crash loop
```

## How to fix

Merge the two entries into one. If the alert has variants of different
severities, give the runbook the most severe one and describe the variants in it.
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB011"
NAME = "duplicate-runbook"
LEVEL = "error"


def check(ctx):
    for duplicate, first in ctx.duplicates:
        yield Report(duplicate.pos, f"runbook {duplicate.name!r} is defined again (first at {first.pos}); "
                                    "one alert name needs one runbook", alert=duplicate.name)
