"""Read Grafana-managed alert and recording rules.

Three shapes are read, YAML or JSON:

- a provisioning file, also what Grafana's export writes: ``apiVersion: 1`` and
  ``groups:`` whose rules have ``title``, ``condition`` and ``data`` (queries and
  expressions, each with ``refId``, ``datasourceUid`` and a ``model``);
- the ruler API's groups: rules holding a ``grafana_alert:`` mapping with
  ``title``, ``condition`` and ``data``, and ``for``/``labels``/``annotations``
  beside it;
- ``AlertRule`` and ``RecordingRule`` resources (``rules.alerting.grafana.app``),
  with ``spec.title`` (or ``spec.metric``) and ``spec.expressions``.

A rule's name is its title (a recording rule's: its metric). Its expression is the
``expr`` of its first data-source query, preferring the condition's own: the
query language is the model's ``datasource.type`` when written (``prometheus``,
``loki``), else told from the expression as for other rule files. Grafana's own
variables (``$__rate_interval``, ...) are filled in as Grafana does before the
query runs. Server-side expressions (math, reduce, threshold) have no ``expr``.
"""

from __future__ import annotations

from runbookgen.queries.promql import fill_grafana_variables
from runbookgen.rules.dialect import LOKI, PROMETHEUS, group_dialect
from runbookgen.rules.model import Rule
from runbookgen.yamlread.values import PosList, PosMap

EXPRESSION_UIDS = ("__expr__", "-100")
LANGUAGE_OF_TYPE = {"prometheus": PROMETHEUS, "loki": LOKI}


def is_provisioning(data: PosMap) -> bool:
    """A provisioning or export file: ``apiVersion`` and rule groups, no Kubernetes ``kind``."""
    return "apiVersion" in data and "kind" not in data and isinstance(data.get("groups"), PosList)


def is_resource(data: PosMap) -> bool:
    version = data.get("apiVersion")
    return isinstance(version, str) and version.startswith("rules.alerting.grafana.app/") \
        and data.get("kind") in ("AlertRule", "RecordingRule")


def read_provisioning(reader, data: PosMap, source: str) -> None:
    groups = data["groups"]
    for at, group in zip(groups.item_pos, groups):
        if not isinstance(group, PosMap):
            reader.problem(at, "a Grafana rule group must be a mapping with name:, folder: and rules:")
            continue
        name = group.get("name") if isinstance(group.get("name"), str) else ""
        if not name:
            reader.problem(group.pos, "Grafana rule group has no name")
        reader.check_duration(group, "interval")
        items = reader.rules_list(group)
        if items is None:
            continue
        for item_at, item in zip(items.item_pos, items):
            if not isinstance(item, PosMap):
                reader.problem(item_at, "a Grafana rule must be a mapping with title:, condition: and data:")
                continue
            read_rule(reader, item, item, name, source)


def read_ruler_api_rule(reader, item: PosMap, group: str, source: str) -> None:
    """A ruler-API rule: ``grafana_alert:`` holds the definition, ``for``/``labels``/``annotations`` sit beside."""
    inner = item.get("grafana_alert")
    if not isinstance(inner, PosMap):
        reader.problem(item.value_pos["grafana_alert"], "grafana_alert: must be a mapping with title: and data:")
        return
    read_rule(reader, inner, item, group, source)


def read_resource(reader, data: PosMap) -> None:
    kind = data["kind"]
    spec = data.get("spec")
    meta = data.get("metadata") if isinstance(data.get("metadata"), PosMap) else {}
    if not isinstance(spec, PosMap):
        reader.problem(data.pos, f"{kind} has no spec mapping")
        return
    read_rule(reader, spec, spec, "", f"Grafana {kind} {meta.get('name') or ''}".strip(),
              record_key="metric" if kind == "RecordingRule" else None, data_key="expressions")


def read_rule(reader, definition: PosMap, outer: PosMap, group: str, source: str, *, record_key: str | None = None,
              data_key: str = "data") -> None:
    record = definition.get("record")
    if record_key is None and isinstance(record, PosMap):
        kind, name, name_at = "record", record.get("metric"), record.value_pos.get("metric", record.pos)
        key_at = record.key_pos.get("metric", definition.key_pos["record"])
    elif record_key is not None:
        kind, name = "record", definition.get(record_key)
        name_at = definition.value_pos.get(record_key, definition.pos)
        key_at = definition.key_pos.get(record_key, definition.pos)
    else:
        kind, name = "alert", definition.get("title")
        name_at = definition.value_pos.get("title", definition.pos)
        key_at = definition.key_pos.get("title", definition.pos)
    if not isinstance(name, str) or not name.strip():
        what = "title" if kind == "alert" else "metric"
        reader.problem(name_at, f"Grafana {'alert' if kind == 'alert' else 'recording'} rule has no {what}")
        return
    alert = name if kind == "alert" else ""
    expr, expr_at, language = _query(reader, definition, data_key, alert)
    positions = {(kind,): key_at, ("expr",): expr_at or key_at}
    fields = dict(line=key_at[0], col=key_at[1], kind=kind, name=name, expr=expr, positions=positions)
    if reader.check_duration(outer, "for", alert):
        fields["for_"] = outer["for"]
        positions[("for",)] = outer.value_pos["for"]
    for key in ("labels", "annotations"):
        fields[key] = reader.string_map(outer, key, positions, alert, label_names=False)
    reader.rules.append(Rule(file=reader.shown, group=group, dialect=language, source=source, ruler="grafana",
                             **fields))


def _query(reader, definition: PosMap, data_key: str, alert: str) -> tuple[str, tuple | None, str]:
    """(expr, its position, language) of the rule's data-source query; ("", None, "unknown") when it has none."""
    data = definition.get(data_key)
    if isinstance(data, PosMap):  # AlertRule resources: refId -> query
        queries = [(ref, query, data.value_pos[ref]) for ref, query in data.items()]
    elif isinstance(data, PosList):
        queries = [(query.get("refId") if isinstance(query, PosMap) else None, query, at)
                   for at, query in zip(data.item_pos, data)]
    else:
        if data is not None or data_key not in definition:
            reader.problem(definition.value_pos.get(data_key, definition.pos),
                           f"{data_key}: must hold the rule's queries and expressions", alert)
        return "", None, "unknown"
    condition = definition.get("condition")
    usable = []
    for ref, query, _at in queries:
        if not isinstance(query, PosMap):
            continue
        model = query.get("model")
        if not isinstance(model, PosMap) or not isinstance(model.get("expr"), str) or not model["expr"].strip():
            continue
        source = model.get("datasource") if isinstance(model.get("datasource"), PosMap) else {}
        uid = query.get("datasourceUid") or query.get("datasourceUID") or source.get("uid")
        if uid in EXPRESSION_UIDS or source.get("type") == "__expr__":
            continue
        usable.append((ref != condition, ref, model, source.get("type")))
    if condition is not None and isinstance(data, (PosMap, PosList)) and \
            condition not in [ref for ref, _, _ in queries]:
        reader.problem(definition.value_pos["condition"], f"condition {condition!r} names no query or expression "
                                                           "of the rule", alert)
    if not usable:
        return "", None, "unknown"
    _, _, model, kind = min(usable, key=lambda u: u[0])  # the condition's own query first, else the first
    expr = fill_grafana_variables(model["expr"])
    language = LANGUAGE_OF_TYPE.get(kind) if kind else group_dialect([expr])
    return expr, model.value_pos["expr"], language or "unknown"
