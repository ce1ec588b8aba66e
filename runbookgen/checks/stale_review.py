"""A runbook has not been reviewed within the configured window.

## What it catches

A runbook whose `last_reviewed` date is older than `lint.stale_after` (a duration
such as `90d` or `26w`; default `180d`), or that has no `last_reviewed` date at
all. Drafts and deprecated runbooks are not checked. The date of "today" is the
current date, or the one `SOURCE_DATE_EPOCH` gives, for reproducible runs.

## Why it matters

Systems change under runbooks: commands move, dashboards are renamed, teams
reorganise. A date on each runbook makes the review a routine instead of a
discovery during an incident.

## Example

```yaml
lint:
  stale_after: 90d
alerts:
  - name: CheckoutDown
    last_reviewed: 2024-01-15   # more than 90 days ago
```

## How to fix

Walk through the runbook (ideally in a game day), correct what changed, and set
`last_reviewed` to the day you did.
"""

from __future__ import annotations

import datetime as dt

from runbookgen.checks.base import Report
from runbookgen.checks.options import Option
from runbookgen.durations import parse_duration

CODE = "RB013"
NAME = "stale-review"
LEVEL = "warning"
STALE_AFTER = Option("stale_after", "duration", "180d", "A runbook not reviewed for longer than this is stale")
OPTIONS = (STALE_AFTER,)


def parse_window(text: str) -> dt.timedelta:
    """The review window (the schema admits only durations; anything else counts as no time at all)."""
    return parse_duration(text) or dt.timedelta(0)


def check(ctx):
    window_text = ctx.settings.stale_after or STALE_AFTER.default
    window = parse_window(window_text)
    for alert in ctx.inventory.alerts:
        if alert.status in ("draft", "deprecated"):
            continue
        if alert.last_reviewed is None:
            yield Report(alert.pos, f"runbook {alert.name!r} has never been reviewed (no last_reviewed date)",
                         alert=alert.name)
        elif alert.last_reviewed + window < ctx.today:
            days = (ctx.today - alert.last_reviewed).days
            yield Report(alert.where("last_reviewed"), f"runbook {alert.name!r} was last reviewed on "
                         f"{alert.last_reviewed.isoformat()}, {days} days ago (limit: {window_text})",
                         alert=alert.name)
