"""A rule file has a rule or group that Prometheus or Loki would refuse to load.

## What it catches

Structural mistakes in rule files, as `promtool check rules` reports them:
a rule without `expr`, with both or neither of `alert` and `record`, an unknown
key (`annotation:` for `annotations:`), a `for` that is not a duration, `for` or
`annotations` on a recording rule, an invalid label or recording-rule name, a
repeated group name in one file, a duplicated YAML key, a `PrometheusRule`
without `spec.groups`.

## Why it matters

Prometheus refuses to load a rule file with any of these, and keeps running the
old rules, so the change that was meant to fix an alert silently does nothing.

## Example

```yaml
groups:
  - name: app
    rules:
      - alert: CheckoutDown
        expr: up{job="checkout"} == 0
        for: 5 minutes        # not a duration: write 5m
        annotation:           # unknown key: annotations
          summary: Checkout is down
```

## How to fix

Correct the file; the message names the key. Files that are not rule files at
all are reported before any check runs (or skipped with a reason when a folder or
glob brought them in).
"""

from __future__ import annotations

from runbookgen.checks.base import Report

CODE = "RB015"
NAME = "invalid-rule"
LEVEL = "error"


def check(ctx):
    for problem in ctx.ruleset.rule_problems:
        yield Report(problem.pos, problem.message, alert=problem.alert)
