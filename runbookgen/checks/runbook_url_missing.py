"""An alerting rule has no `runbook_url` annotation.

## What it catches

An alerting rule without a `runbook_url` annotation, or with an empty one. Rules
whose severity is listed in `lint.exempt_severities` are not checked.

## Why it matters

Alertmanager templates, PagerDuty and Grafana show `runbook_url` as the link to
follow. Without it the on-call engineer has to search for the runbook, if they
know there is one.

## Example

```yaml
- alert: CheckoutLatencyHigh
  expr: ...
  annotations:
    summary: Checkout is slow   # no runbook_url
```

## How to fix

`runbookgen annotate --rules rules/` sets every alert's `runbook_url` to its page,
keeping the rest of the file as it was. The message shows the expected URL when
it is known (see runbook-url-mismatch).
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.context import EXEMPT_SEVERITIES
from runbookgen.checks.runbook_url_mismatch import RUNBOOK_URL, wanted_url

CODE = "RB003"
NAME = "runbook-url-missing"
LEVEL = "warning"
OPTIONS = (RUNBOOK_URL, EXEMPT_SEVERITIES)


def check(ctx):
    for rule in ctx.ruleset.rules:
        if rule.kind != "alert" or ctx.is_exempt(rule) or (rule.annotation("runbook_url") or "").strip():
            continue
        expected = wanted_url(ctx, rule.name)
        hint = f"; add runbook_url: {expected}" if expected else ""
        where = rule.where("annotations", "runbook_url") if rule.annotation("runbook_url") is not None else rule.pos
        yield Report(where, f"alert {rule.name!r} has no runbook_url annotation{hint}", alert=rule.name)
