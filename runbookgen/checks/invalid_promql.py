r"""A PromQL expression does not parse.

## What it catches

Expressions that Prometheus would refuse, found with the `promql-parser` library:
syntax errors, unknown functions, wrong argument types (`rate(x)` needs a range
vector), invalid string escapes. It checks

- the `expr` of every rule read as Prometheus (see the rule readers for how
  Prometheus and Loki rules are told apart),
- the `expr` of inventory alerts whose datasource is Prometheus,
- every runbook query written in PromQL (`queries:`). Grafana's built-in
  variables (`$__rate_interval`, `$__interval`, `$__range`, `$__auto`) are
  filled in first, since Grafana replaces them before the query runs.

`holt_winters` (Prometheus 2) and `double_exponential_smoothing` (Prometheus 3)
are both accepted.

## Why it matters

A rule that does not parse stops Prometheus from loading the whole file. A query
in a runbook that does not parse fails the engineer at the worst moment.

## Example

```yaml
expr: label_replace(up, "v", "$1", "version", "(v[0-9]*\.[0-9]*).*")
# "\." is not an escape PromQL knows in a double-quoted string; write "\\." or use backticks
```

## How to fix

Correct the expression; `promtool check rules` and Grafana Explore show the same
error. In a runbook query, replace dashboard variables (`$namespace`) with a value
or a regex the reader can adapt.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.queries.promql import promql_error, runbook_query_error
from runbookgen.rules.dialect import has_pipeline

CODE = "RB008"
NAME = "invalid-promql"
LEVEL = "error"


def alert_language(ctx, alert) -> str:
    """'promql', 'logql' or 'traceql' for an inventory alert's expr: its datasource, else its rules, else its look."""
    source = ctx.inventory.datasource(alert.datasource) if alert.datasource else None
    if source is not None:
        return {"loki": "logql", "tempo": "traceql"}.get(source.type, "promql")
    rules = ctx.rules_by_name.get(alert.name)
    if rules:
        return "logql" if rules[0].dialect == "loki" else "promql"
    return "logql" if has_pipeline(alert.expr) else "promql"


def check(ctx):
    for rule in ctx.ruleset.rules:
        if rule.dialect == "prometheus" and rule.expr:
            error = promql_error(rule.expr)
            if error:
                yield Report(rule.expr_pos, f"{rule.kind} {rule.name!r}: invalid PromQL: {error}",
                             alert=rule.name if rule.kind == "alert" else "")
    for alert in ctx.inventory.alerts:
        if alert.expr and alert_language(ctx, alert) == "promql":
            error = promql_error(alert.expr)
            if error:
                yield Report(alert.where("expr"), f"runbook {alert.name!r}: expr is not valid PromQL: {error}",
                             alert=alert.name)
        for index, query in enumerate(alert.queries):
            if query.language == "promql":
                error = runbook_query_error(query.expr)
                if error:
                    yield Report(alert.where("queries", index, "expr"), f"runbook {alert.name!r}: query "
                                 f"{query.title!r} is not valid PromQL: {error}", alert=alert.name)
