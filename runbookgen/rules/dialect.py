"""Tell the query language of a rule group: PromQL, LogQL, or one without a grammar here.

One group is evaluated by one ruler, so the language is decided per group:

1. a ruler named for the file decides: ``loki`` is LogQL, ``prometheus``,
   ``thanos`` and ``mimir`` are PromQL, ``vmalert`` is MetricsQL, LogsQL for a
   ``type: vlogs`` group and Graphite for ``type: graphite``;
2. otherwise (no ruler named) a ``PrometheusRule`` resource is PromQL, a file
   with vmalert-only keys in any group or rule is vmalert's (one file goes to one
   ruler), and the expressions decide: a group is
   LogQL when one of its expressions has a log pipeline, that is a ``|`` outside
   string literals and comments (PromQL has no ``|`` operator), or when one fails
   to parse as PromQL but parses as LogQL;
3. a folder named ``loki`` only settles a tie: a group there whose every
   expression is valid LogQL is LogQL. Valid PromQL that is not LogQL stays PromQL
   wherever it lives.
4. anything else is PromQL.

A Loki rule such as ``sum(count_over_time({app="x"}[5m])) > 0`` is also valid
PromQL; alone in a group outside a ``loki`` folder it is read as PromQL, which
checks it just as well. Name the ruler to make it LogQL.
"""

from __future__ import annotations

import os

from runbookgen.queries.promql import promql_error
from runbookgen.rulers import AUTO, GRAPHITE, LOGQL, LOGSQL, METRICSQL, PROMQL

PROMETHEUS, LOKI = PROMQL, LOGQL  # the names the checks compare Rule.dialect with


def in_loki_folder(path: str) -> bool:
    folders = os.path.dirname(os.path.abspath(path)).split(os.sep)
    return any(part.lower() == "loki" for part in folders)


def group_dialect(exprs: list[str], *, loki_folder: bool = False, resource: bool = False, ruler: str = AUTO,
                  group_type: str = "") -> str:
    if ruler == "vmalert":
        return {"vlogs": LOGSQL, "graphite": GRAPHITE}.get(group_type, METRICSQL)
    if ruler == "loki":
        return LOKI
    if ruler in ("prometheus", "thanos", "mimir") or resource:
        return PROMETHEUS
    if any(has_pipeline(e) for e in exprs):
        return LOKI
    failing = [e for e in exprs if e and promql_error(e)]
    if failing or (loki_folder and exprs):
        from runbookgen.queries.logql import logql_error  # lark is imported only when LogQL may be involved

        if failing and any(not logql_error(e) for e in failing):
            return LOKI
        if loki_folder and not failing and all(not logql_error(e, metric=True) for e in exprs if e):
            return LOKI
    return PROMETHEUS


def has_pipeline(expr: str) -> bool:
    """True when ``expr`` has a ``|`` outside "...", '...', `...` strings and # comments."""
    if "|" not in expr:
        return False
    i, n = 0, len(expr)
    while i < n:
        ch = expr[i]
        if ch == "|":
            return True
        if ch in "\"'`":
            i += 1
            while i < n and expr[i] != ch:
                i += 2 if expr[i] == "\\" and ch != "`" else 1
        elif ch == "#":
            while i < n and expr[i] != "\n":
                i += 1
        i += 1
    return False
