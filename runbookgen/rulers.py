"""The rulers that evaluate rule files, and what each accepts.

A rule path may name its ruler: ``loki:rules/`` on the command line, or under
``lint: rules:`` in the inventory either the same string or a mapping
``{path: rules/, ruler: loki}``. The ruler decides how the file is read:

| ruler | expressions | extra keys it accepts |
| --- | --- | --- |
| ``prometheus`` | PromQL | |
| ``thanos`` | PromQL | group ``partial_response_strategy`` |
| ``mimir`` (``cortex``) | PromQL | group ``source_tenants``, ``evaluation_delay``, ``align_evaluation_time_on_interval``; file ``namespace`` |
| ``loki`` | LogQL | group ``source_tenants``, ``evaluation_delay``; file ``namespace`` |
| ``vmalert`` | MetricsQL; LogsQL in ``type: vlogs`` groups; Graphite in ``type: graphite`` groups | group ``concurrency``, ``type``, ``params``, ``headers``, ``notifier_headers``, ``eval_offset``, ``eval_delay``, ``eval_alignment``, ``tenant``, ``debug``; rule ``debug``, ``update_entries_limit`` |
| ``grafana`` | the query language of each query's data source | Grafana-managed rule files (provisioning, export, ``AlertRule`` resources) |

Without a ruler (``auto``, the default) the file's content decides, never its
folder: vmalert-only keys make a group vmalert's, Grafana's file shapes are
Grafana's, and the expressions tell PromQL from LogQL (see ``dialect``); every
key that some Prometheus-compatible ruler accepts is accepted.
"""

from __future__ import annotations

AUTO = "auto"
RULERS = ("prometheus", "loki", "vmalert", "thanos", "mimir", "cortex", "grafana")
ALIASES = {"cortex": "mimir"}

_PROMETHEUS_GROUP = frozenset(("name", "rules", "interval", "query_offset", "limit", "labels"))
_PROMETHEUS_RULE = frozenset(("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"))
_CORTEX_GROUP = frozenset(("source_tenants", "evaluation_delay", "align_evaluation_time_on_interval"))
VMALERT_GROUP = frozenset(("concurrency", "type", "params", "headers", "notifier_headers", "eval_offset",
                           "eval_delay", "eval_alignment", "tenant", "debug"))
VMALERT_RULE = frozenset(("debug", "update_entries_limit"))

GROUP_KEYS = {
    "prometheus": _PROMETHEUS_GROUP,
    "thanos": _PROMETHEUS_GROUP | {"partial_response_strategy"},
    "mimir": _PROMETHEUS_GROUP | _CORTEX_GROUP,
    "loki": _PROMETHEUS_GROUP | _CORTEX_GROUP,
    "vmalert": (_PROMETHEUS_GROUP | VMALERT_GROUP) - {"query_offset"},
}
GROUP_KEYS[AUTO] = GROUP_KEYS["thanos"] | GROUP_KEYS["mimir"]
GROUP_KEYS["grafana"] = GROUP_KEYS["mimir"]  # the ruler API's groups (Grafana-managed and data-source rules)
RULE_KEYS = {ruler: _PROMETHEUS_RULE for ruler in GROUP_KEYS}
RULE_KEYS["vmalert"] = _PROMETHEUS_RULE | VMALERT_RULE
RULE_KEYS["grafana"] = _PROMETHEUS_RULE | {"grafana_alert"}
FILE_KEYS = {ruler: frozenset(("groups", "namespace")) for ruler in GROUP_KEYS}
FILE_KEYS["prometheus"] = FILE_KEYS["thanos"] = FILE_KEYS["vmalert"] = frozenset(("groups",))

# What a group's expressions are written in, for the checks: PromQL and LogQL have grammars here.
PROMQL, LOGQL, METRICSQL, LOGSQL, GRAPHITE = "prometheus", "loki", "metricsql", "logsql", "graphite"
UNCHECKED = {METRICSQL: "MetricsQL", LOGSQL: "LogsQL (VictoriaLogs, type: vlogs)",
             GRAPHITE: "Graphite (type: graphite)", "unknown": "a query language not known here"}


def canonical(ruler: str) -> str:
    return ALIASES.get(ruler, ruler)


def split_ruler(pattern: str) -> tuple[str, str]:
    """``("loki", "rules/")`` for ``"loki:rules/"``; ``(AUTO, pattern)`` when it names no known ruler.

    Only the ruler names above count as a prefix, so ``C:/rules`` and ``./loki:x.yaml`` stay paths.
    """
    head, sep, rest = pattern.partition(":")
    if sep and head.lower() in RULERS and rest:
        return canonical(head.lower()), rest
    return AUTO, pattern


def pattern_of(entry) -> str | None:
    """An inventory ``lint.rules`` entry (a path, or ``{path, ruler}``) as the ``ruler:path`` string read_rules takes."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("path"), str):
        ruler = entry.get("ruler")
        return f"{ruler}:{entry['path']}" if isinstance(ruler, str) and ruler != AUTO else entry["path"]
    return None


def patterns_of(entries) -> tuple[str, ...] | None:
    """Every entry as a pattern, or None when one is not an entry (the schema check reports it)."""
    if not isinstance(entries, (list, tuple)) or not entries:
        return None
    patterns = tuple(pattern_of(e) for e in entries)
    return None if None in patterns else patterns
