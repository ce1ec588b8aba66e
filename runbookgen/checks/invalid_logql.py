r"""A LogQL expression does not parse, or is not a query Loki would run.

## What it catches

Loki rule expressions and runbook queries that Loki's query parser would refuse.
They are checked against a LogQL grammar that follows Loki's own, plus the rules
Loki applies after parsing:

- syntax: selectors, line filters, parsers (`json`, `logfmt`, `pattern`,
  `regexp`, `unpack`), label filters, `line_format`, `label_format`, `drop`,
  `keep`, `unwrap`, range and vector aggregations, binary operators;
- string literals with escapes Go does not know (`"\w"`; use `` `\w` ``);
- a selector whose matchers all match the empty value (`{app=~".*"}`);
- `sum_over_time` and friends without `| unwrap`, `count_over_time` with one;
  `topk` without its parameter, grouping where Loki refuses it;
- a log query (no range function) as a rule expression: Loki rules need a metric
  query.

It checks the `expr` of every rule read as Loki, the `expr` of inventory alerts
whose datasource is Loki, and every runbook query written in LogQL. A finding
points at the offending token in the file where the query is a plain, quoted or
`|` block scalar; elsewhere (folded `>` scalars, escapes) it points at the query
and says where in it. Regular expressions are not compiled, except
`label_replace`'s (Loki uses RE2). Queries over Loki's 131,071 bytes (5,119 for
Loki 2: `lint.loki.version: 2`), or nested and chained more than 256 levels
deep, are reported without being checked.

## Why it matters

The Loki ruler skips a rule group it cannot parse, silently for whoever waits for
its alerts. A runbook query that fails wastes minutes during an incident.

## Example

```yaml
expr: sum(count_over_time({app="checkout"} |~ "error=\w+" [5m])) > 10
# "\w" is not a Go string escape: write `error=\w+` in backticks, or "error=\\w+"
```

## How to fix

Correct the query; Grafana Explore (Loki datasource) reports the same error.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.invalid_promql import alert_language, located
from runbookgen.queries.promql import fill_grafana_variables

CODE = "RB009"
NAME = "invalid-logql"
LEVEL = "error"


def check(ctx):
    rules = [r for r in ctx.ruleset.rules if r.dialect == "loki" and r.expr]
    alerts = [a for a in ctx.inventory.alerts
              if (a.expr and alert_language(ctx, a) == "logql") or any(q.language == "logql" for q in a.queries)]
    if not rules and not alerts:
        return
    from runbookgen.queries.logql import logql_error  # the grammar loads only when there is LogQL to check

    version = ctx.settings.loki_version

    for rule in rules:
        error = logql_error(rule.expr, metric=True, loki_version=version)
        if error:
            pos, where = located(error, rule.position_in_expr(error.line, error.col), rule.expr_pos)
            yield Report(pos, f"{rule.kind} {rule.name!r}: invalid LogQL: {error}{where}",
                         alert=rule.name if rule.kind == "alert" else "")
    for alert in alerts:
        if alert.expr and alert_language(ctx, alert) == "logql":
            error = logql_error(alert.expr, metric=True, loki_version=version)
            if error:
                pos, where = located(error, alert.where_in(("expr",), error.line, error.col), alert.where("expr"))
                yield Report(pos, f"runbook {alert.name!r}: expr is not valid LogQL: {error}{where}",
                             alert=alert.name)
        for index, query in enumerate(alert.queries):
            if query.language == "logql":
                filled = fill_grafana_variables(query.expr)
                error = logql_error(filled, loki_version=version)
                if error:
                    keys = ("queries", index, "expr")
                    start = alert.where(*keys)
                    pos, where = (located(error, alert.where_in(keys, error.line, error.col), start)
                                  if filled == query.expr else (start, ""))
                    yield Report(pos, f"runbook {alert.name!r}: query {query.title!r} is not valid LogQL: "
                                      f"{error}{where}", alert=alert.name)
