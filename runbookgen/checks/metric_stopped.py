"""A query's selector matched series earlier in the lookback, and none lately.

## What it catches

With a Prometheus server to ask (see `no-series`), a selector that matched
series in the first half of the lookback (default: between 24 and 12 hours ago)
and none in the second half. The data existed, so the query was right once:
something changed since. Reported where the selector is written, inside the
expression.

## Why it matters

"Never existed" and "stopped" call for different fixes. A metric that stopped
is usually an exporter that died, a target that was dropped from scraping, or a
rename in a deployment that happened hours ago, and the alerts that depend on
it went silent at that moment.

## Example

```yaml
expr: rate(queue_jobs_processed_total{queue="payments"}[5m]) == 0
# rules/queue.yaml:7:13: warning RB020 alert 'QueueStuck': selector
# queue_jobs_processed_total{queue="payments"} matched series in the first half of the
# last 1d and none since 12h ago
```

## How to fix

Find what changed about 12 hours ago: the exporter, the scrape configuration,
the relabelling, the metric's name. Fix the source or the query; the finding
goes away once the selector matches again.
"""

from __future__ import annotations

from runbookgen.checks.live_verdicts import LOOKBACK, selector_report, selectors_judged
from runbookgen.live.results import STOPPED

CODE = "RB020"
NAME = "metric-stopped"
LEVEL = "warning"
OPTIONS = (LOOKBACK,)


def check(ctx):
    for found in selectors_judged(ctx, STOPPED):
        yield selector_report(found, f"stopped matching: {found.verdict.detail}")
