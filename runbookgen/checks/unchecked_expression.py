"""A rule group's expressions are in a query language runbookgen has no grammar for.

## What it catches

Rule groups that were read (their alert names, labels and annotations are checked
like any other) but whose expressions cannot be checked here, once per group:

- vmalert groups, written in MetricsQL, a superset of PromQL (`lag()`,
  `sum(x[5m])` without `rate`, ...);
- vmalert `type: vlogs` groups, written in LogsQL for VictoriaLogs, which is
  neither PromQL nor LogQL;
- vmalert `type: graphite` groups;
- Grafana-managed rules whose query has no `expr` in a language known here.

## Why it matters

A report that says nothing about these expressions could be read as "they
parse". This finding says plainly that nobody here looked, so that the ruler's own
validation (`vmalert -dryRun -rule=...`) stays in CI.

## Example

```yaml
groups:
  - name: ServiceLog
    type: vlogs
    rules:
      - alert: HasErrorLog
        expr: 'env: "prod" AND status:~"error|warn" | stats by (service) count(*) as errors | filter errors:>0'
```

## How to fix

Nothing to fix in the file. Check the expressions with the ruler's own tools
(`vmalert -rule=FILE -dryRun`); set this check to `off` in `lint.checks` once
that is in place. A vmalert group whose expressions are plain PromQL can be read
as Prometheus rules by naming the ruler (`prometheus:path`).
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.rulers import UNCHECKED

CODE = "RB022"
NAME = "unchecked-expression"
LEVEL = "info"


def check(ctx):
    groups: dict[tuple, list] = {}
    for rule in ctx.ruleset.rules:
        if rule.dialect in UNCHECKED and (rule.expr or rule.ruler == "grafana"):  # Grafana: a query without expr
            groups.setdefault((rule.file, rule.group, rule.dialect), []).append(rule)
    for (_, group, dialect), rules in groups.items():
        first = rules[0]
        count = f"its {len(rules)} rules were" if len(rules) != 1 else "its rule was"
        where = f"group {group!r}" if group else first.source
        yield Report(first.expr_pos, f"{where} ({first.ruler} ruler) is written in {UNCHECKED[dialect]}: {count} "
                                     "read, but expressions in it are not checked here (not as PromQL, not as "
                                     "LogQL: there is no grammar for it)")
    yield from _inventory_reports(ctx)


def _inventory_reports(ctx):
    """One report per unchecked language for the inventory alerts whose expr is written in it (their rule's)."""
    from runbookgen.checks.invalid_promql import alert_language

    alerts: dict[str, list] = {}
    for alert in ctx.inventory.alerts:
        if alert.expr:
            language = alert_language(ctx, alert)
            if language in UNCHECKED:
                alerts.setdefault(language, []).append(alert)
    for language, found in alerts.items():
        names = ", ".join(repr(a.name) for a in found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        what = "the expr of runbook" if len(found) == 1 else f"the expr of {len(found)} runbooks,"
        yield Report(found[0].where("expr"), f"{what} {names}, is {UNCHECKED[language]} like its rule: not checked "
                                             "here (not as PromQL, not as LogQL: there is no grammar for it)")
