"""A query's selector matches no series on the live Prometheus.

## What it catches

With a Prometheus server to ask (`runbookgen lint --prometheus URL`, or
`lint.prometheus.url` in the inventory), every vector selector of every
Prometheus rule's `expr` and of every runbook query written in PromQL is looked
up with `/api/v1/series` over the lookback (`lint.prometheus.lookback`, default
`1d`). A selector that matched nothing in all that time is reported where it is
written, inside the expression. The message says why, as far as the server can
tell:

- the metric has no series at all (renamed, never exported, wrong name);
- one label matcher matches none of the metric's series (the values the label
  does have are listed), or the label itself is on none of them (each matcher is
  asked alone with the metric name);
- each matcher matches alone but not together (the matcher whose removal makes
  the selector match is named).

Selectors inside `absent()` and `absent_over_time()` are not checked: matching
nothing is what they test; nor are `ALERTS` and `ALERTS_FOR_STATE`, which have
series only while an alert fires. When the metric is the `record:` of a rule in
the files being linted, the message says so: that rule may not be loaded on the
server yet. Matchers whose value is a dashboard variable (`$job`)
are left out of the question, and Grafana's built-in variables
(`$__rate_interval`) are filled in as Grafana does. A selector that stopped
matching half-way through the lookback is reported by `metric-stopped` instead.

## Why it matters

A metric renamed in an exporter upgrade, a label dropped by relabelling, a job
renamed: the alert never fires again, and the query in step 3 of the runbook
returns an empty graph at 3 a.m. Nothing else notices, because an empty result
is not an error.

## Example

```yaml
queries:
  - title: Error rate
    expr: sum(rate(http_requests_total{job="checkout", code=~"5.."}[5m]))
    # runbooks.yaml:40:31: error RB018 runbook 'CheckoutErrors' query 'Error rate': selector
    # http_requests_total{job="checkout", code=~"5.."} matched no series in the last 1d:
    # 'job="checkout"' matches no metric http_requests_total series (job is "cart", "checkout-api")
```

## How to fix

Look the metric up in the Prometheus UI: correct the name or the label, or, if
the data is simply not in this server (another cluster, another tenant), point
`--prometheus` at the right one or waive the finding with a reason.
"""

from __future__ import annotations

from runbookgen.checks.live_verdicts import LOOKBACK, selector_report, selectors_judged
from runbookgen.live.results import NONE

CODE = "RB018"
NAME = "no-series"
LEVEL = "error"
OPTIONS = (LOOKBACK,)


def check(ctx):
    for found in selectors_judged(ctx, NONE):
        why = f": {found.verdict.detail}" if found.verdict.detail else ""
        yield selector_report(found, f"matched no series in the last {ctx.live.lookback}{why}")
