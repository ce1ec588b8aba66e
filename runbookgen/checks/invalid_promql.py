r"""A PromQL expression does not parse.

## What it catches

Expressions that Prometheus would refuse: syntax errors, unknown functions,
wrong argument types (`rate(x)` needs a range vector), invalid string escapes,
out-of-range numbers and durations, and experimental syntax whose feature flag
is off. The parser follows Prometheus 3's grammar and agrees with Prometheus's
own parser tests. A finding points at the offending token in the rule file or
inventory (where the expression is a plain, quoted or `|` block scalar;
elsewhere it points at the expression and says where in it), and names what
was expected there. It checks

- the `expr` of every rule read as Prometheus (see the rule readers for how
  Prometheus and Loki rules are told apart),
- the `expr` of inventory alerts whose datasource is Prometheus,
- every runbook query written in PromQL (`queries:`). Grafana's built-in
  variables (`$__rate_interval`, `$__interval`, `$__range`, `$__auto`) are
  filled in first, since Grafana replaces them before the query runs.

Which Prometheus is targeted is a setting, `lint.prometheus`: `version` (3, the
default, or 2, where `holt_winters` still exists) and `features`, the
`--enable-feature` flags that are on (`promql-experimental-functions`,
`promql-duration-expr`, `promql-extended-range-selectors`,
`promql-binop-fill-modifiers`). A query nested more than 256 levels deep is
reported, not checked.

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
error. A rule file that vmalert evaluates but that has none of vmalert's own keys
is read as Prometheus's; when it calls a MetricsQL function (`lag`, `median`,
`range_avg`...), the finding says so: lint it as vmalert's
(`--rules vmalert:PATH`, or `ruler: vmalert` in `lint.rules`). In a runbook query, replace dashboard variables (`$namespace`) with a value
or a regex the reader can adapt.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.problems import Position
from runbookgen.queries.metricsql_names import metricsql_function_in
from runbookgen.queries.promql import PromQLTarget, promql_problem, runbook_query_problem
from runbookgen.rulers import UNCHECKED
from runbookgen.rules.dialect import has_pipeline

CODE = "RB008"
NAME = "invalid-promql"
LEVEL = "error"


def alert_language(ctx, alert) -> str:
    """'promql', 'logql' or 'traceql' for an inventory alert's expr: its datasource, else its rules, else its look.

    A rule whose ruler evaluates a language without a grammar here (MetricsQL, LogsQL, Graphite: the keys of
    ``rulers.UNCHECKED``) decides first: the alert's expr is that rule's, and its dialect name is returned, so
    that no check parses it as PromQL or LogQL."""
    rules = ctx.rules_by_name.get(alert.name)
    if rules and rules[0].dialect in UNCHECKED:
        return rules[0].dialect
    source = ctx.inventory.datasource(alert.datasource) if alert.datasource else None
    if source is not None:
        return {"loki": "logql", "tempo": "traceql"}.get(source.type, "promql")
    if rules:
        return "logql" if rules[0].dialect == "loki" else "promql"
    return "logql" if has_pipeline(alert.expr) else "promql"


def promql_target(ctx) -> PromQLTarget:
    """The Prometheus that the inventory's lint.prometheus setting names."""
    return PromQLTarget(ctx.settings.prometheus_version, frozenset(ctx.settings.prometheus_features))


def located(problem, mapped: Position, start: Position) -> tuple[Position, str]:
    """Where a query problem is in the file, and the text to add to the message when that place could only be
    the start of the expression (a YAML scalar whose layout cannot be followed): where inside it."""
    if mapped != start or (problem.line, problem.col) == (1, 1):
        return mapped, ""
    return start, f" (at line {problem.line}, column {problem.col} of the expression)"


def _vmalert_hint(message: str, file: str) -> str:
    """For an unknown function that MetricsQL has: the file is likely vmalert's, read under the wrong ruler."""
    name = metricsql_function_in(message)
    if not name:
        return ""
    return (f"; {name}() is a MetricsQL function: if vmalert evaluates this file, lint it as vmalert's "
            f"(--rules vmalert:{file}, or ruler: vmalert in lint.rules)")


def check(ctx):
    target = promql_target(ctx)
    for rule in ctx.ruleset.rules:
        if rule.dialect == "prometheus" and rule.expr:
            problem = promql_problem(rule.expr, target)
            if problem:
                pos, where = located(problem, rule.position_in_expr(problem.line, problem.col), rule.expr_pos)
                yield Report(pos, f"{rule.kind} {rule.name!r}: invalid PromQL: {problem}{where}"
                                  f"{_vmalert_hint(str(problem), rule.file)}",
                             alert=rule.name if rule.kind == "alert" else "")
    for alert in ctx.inventory.alerts:
        if alert.expr and alert_language(ctx, alert) == "promql":
            problem = promql_problem(alert.expr, target)
            if problem:
                pos, where = located(problem, alert.where_in(("expr",), problem.line, problem.col),
                                     alert.where("expr"))
                yield Report(pos, f"runbook {alert.name!r}: expr is not valid PromQL: {problem}{where}",
                             alert=alert.name)
        for index, query in enumerate(alert.queries):
            if query.language == "promql":
                problem = runbook_query_problem(query.expr, target)
                if problem:
                    keys = ("queries", index, "expr")
                    pos, where = located(problem, alert.where_in(keys, problem.line, problem.col),
                                         alert.where(*keys))
                    yield Report(pos, f"runbook {alert.name!r}: query {query.title!r} is not valid PromQL: "
                                      f"{problem}{where}", alert=alert.name)
