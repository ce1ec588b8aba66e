"""A runbook query parses, but fails when the live Prometheus runs it.

## What it catches

With a Prometheus server to ask (see `no-series`), every runbook query written
in PromQL that parses is run once with `/api/v1/query` at the current time, and
an execution error is reported with the server's own message: many-to-many
matching (`found duplicate series for the match group`), a vector where a
scalar is needed at run time, `vector cannot contain metrics with the same
labelset`, the server's query timeout or sample limit. Queries that still hold
dashboard variables (`$namespace`) are not run. Selectors the server refused to
look up are reported here too.

## Why it matters

These errors depend on the data, so no parser can find them: the query looks
right, and fails the engineer who copies it into the Prometheus UI during an
incident.

## Example

```yaml
queries:
  - title: Requests per pod with its node
    expr: rate(http_requests_total[5m]) * on(pod) kube_pod_info
    # runbooks.yaml:52:11: error RB019 runbook 'CheckoutSlow' query 'Requests per pod with its node'
    # fails on the server: execution: found duplicate series for the match group ...
```

## How to fix

Run the query in the Prometheus UI and follow its message: add `group_left`
or aggregate one side (`max by (pod) (kube_pod_info)`), narrow the selectors, or
split the query.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.live_verdicts import selector_report, selectors_judged
from runbookgen.live.results import UNCHECKED

CODE = "RB019"
NAME = "query-fails"
LEVEL = "error"


def check(ctx):
    for query in ctx.live.queries if ctx.live is not None else ():
        if query.error:
            yield Report(query.pos, f"{query.subject} fails on the server: {query.error}", alert=query.alert)
    for found in selectors_judged(ctx, UNCHECKED):
        yield selector_report(found, f"could not be looked up: {found.verdict.detail}")
