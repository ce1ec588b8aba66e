"""Tell Prometheus rules from Loki rules.

Both rulers read the same file shape, so the language is decided per rule group
(one group is evaluated by one ruler), in this order:

1. a ``PrometheusRule`` resource is Prometheus;
2. a file below a folder named ``loki`` is Loki;
3. a group is Loki when one of its expressions has a log pipeline, that is a ``|``
   outside string literals and comments (PromQL has no ``|`` operator), or when one
   fails to parse as PromQL but parses as LogQL;
4. anything else is Prometheus.

A Loki rule such as ``sum(count_over_time({app="x"}[5m])) > 0`` is also valid
PromQL; alone in a group outside a ``loki`` folder it is read as Prometheus, which
checks it just as well.
"""

from __future__ import annotations

import os

from runbookgen.queries.promql import promql_error

PROMETHEUS, LOKI = "prometheus", "loki"


def in_loki_folder(path: str) -> bool:
    folders = os.path.dirname(os.path.abspath(path)).split(os.sep)
    return any(part.lower() == "loki" for part in folders)


def group_dialect(exprs: list[str], *, loki_folder: bool = False, resource: bool = False) -> str:
    if resource:
        return PROMETHEUS
    if loki_folder:
        return LOKI
    if any(has_pipeline(e) for e in exprs):
        return LOKI
    failing = [e for e in exprs if e and promql_error(e)]
    if failing:
        from runbookgen.queries.logql import logql_error  # lark is imported only when LogQL may be involved

        if any(not logql_error(e) for e in failing):
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
