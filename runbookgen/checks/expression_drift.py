"""A runbook's `expr` differs from the rule it documents.

## What it catches

An inventory alert that carries `expr` (for `export-rules`, or to show on its
page) while the rule files define the alert with a different expression. Both
sides are parsed and compared in a normal form, so spacing, line breaks,
comments, `sum(x) by (a)` versus `sum by (a) (x)` and the order of label matchers
do not count. With several rules of one name (severity variants), the runbook's
`expr` must match one of them. Expressions that do not parse are left to
invalid-promql and invalid-logql. Rules in a language without a grammar here
(vmalert's MetricsQL, LogsQL) are compared as text, white space aside.

## Why it matters

The runbook explains a threshold, a window and a set of labels. When the rule
changes and the runbook does not, the explanation is wrong, and queries copied
from the page no longer show what fired.

## Example

```yaml
# rule:      expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.05
alerts:
  - name: CheckoutErrorRate
    expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0.01
```

## How to fix

Copy the rule's expression into the runbook (and update the text around it), or,
when the inventory is the source of the rules, regenerate them with
`runbookgen export-rules`.
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.invalid_promql import alert_language
from runbookgen.queries.promql import normalize_promql

_RULE_LANGUAGE = {"prometheus": "promql", "loki": "logql"}

CODE = "RB010"
NAME = "expression-drift"
LEVEL = "warning"


def normal_form(expr: str, language: str):
    """A form in which equivalent writings of an expression are equal; None when it does not parse.

    Languages without a grammar here (MetricsQL, LogsQL, ...) are compared as text with runs of white space
    made one space."""
    if language == "text":
        return " ".join(expr.split())
    if language == "logql":
        from runbookgen.queries.logql import logql_tokens

        tokens = logql_tokens(expr)
        return tuple(tokens) if tokens is not None else None
    return normalize_promql(expr)


def _short(expr: str, limit: int = 80) -> str:
    flat = " ".join(expr.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def check(ctx):
    for alert in ctx.inventory.alerts:
        rules = [r for r in ctx.rules_by_name.get(alert.name, ()) if r.expr]
        if not alert.expr or not rules:
            continue
        languages = [_RULE_LANGUAGE.get(r.dialect, "text") for r in rules]
        language = "text" if "text" in languages else alert_language(ctx, alert)
        mine = normal_form(alert.expr, language)
        theirs = [normal_form(r.expr, "text" if language == "text" else lang) for r, lang in zip(rules, languages)]
        if mine is None or None in theirs or mine in theirs:
            continue
        rule = rules[0]
        yield Report(alert.where("expr"), f"expr of runbook {alert.name!r} differs from its rule at "
                                          f"{rule.file}:{rule.line}: runbook has `{_short(alert.expr)}`, rule has "
                                          f"`{_short(rule.expr)}`", alert=alert.name)
