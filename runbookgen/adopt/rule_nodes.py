"""Find the alerting rules in a rule file's node tree, with the containers on the way to each.

The shapes are those the rule readers accept: a ``groups:`` file, ``PrometheusRule``
(and Loki Operator ``AlertingRule``, VictoriaMetrics ``VMRule``) resources with
``spec.groups``, and Kubernetes ``List`` s of them, several documents to a file;
and Grafana-managed rules (``rules.grafana``): a provisioning or export file
(``apiVersion:`` and ``groups:`` of rules named by ``title:``), the ruler API's
rules (``grafana_alert:`` beside ``annotations:``) and ``AlertRule`` resources
(``spec.title`` beside ``spec.annotations``). A site's ``rule`` is always the
mapping that holds the rule's ``annotations:``.
Each container between the document and the rule is kept with a name for it,
so that an edit can say which one is shared when it cannot be made.
"""

from __future__ import annotations

from dataclasses import dataclass

from runbookgen.yamlread.tree import Node

RESOURCE_KINDS = frozenset(("PrometheusRule", "AlertingRule", "VMRule"))
GRAFANA_API = "rules.alerting.grafana.app/"
PROVISIONING = "Grafana provisioning file"  # apiVersion: and groups:, no kind: (rules.grafana.is_provisioning)


@dataclass(frozen=True)
class RuleSite:
    """One alerting rule: its name, its mapping node, and the containers that lead to it."""

    name: str
    rule: Node
    path: tuple  # ((node as written, what it is), ...), outermost first, the rule last
    line: int  # position of the alert: key (from 1)
    col: int


def alert_sites(roots: list) -> list[RuleSite]:
    found: list[RuleSite] = []
    for root in roots:
        if root is not None:
            for groups, path in _group_lists(root, (), found):
                _read_groups(groups, path, found)
    return found


def _scalar(mapping: Node, key: str) -> str | None:
    node = _value(mapping, key)
    data = node.resolved() if node is not None else None
    return data.value if data is not None and data.kind == "scalar" else None


def _value(mapping: Node, key: str) -> Node | None:
    pairs = mapping.get(key)
    return pairs[-1][1] if pairs else None


def _group_lists(node: Node, path: tuple, found: list):
    """The ``groups:`` lists under ``node``, with their paths; Grafana ``AlertRule`` sites go to ``found``."""
    data = node.resolved()
    if data.kind != "map":
        return
    kind_node = _value(data, "kind")
    kind = kind_node.resolved().value if kind_node is not None and kind_node.resolved().kind == "scalar" else None
    version = _scalar(data, "apiVersion")
    if kind == "AlertRule" and isinstance(version, str) and version.startswith(GRAFANA_API):
        spec = _value(data, "spec")
        if spec is not None and spec.resolved().kind == "map":
            _add_site(found, spec.resolved(), spec.resolved(), path + ((node, "resource"), (spec, "spec")))
    elif kind in RESOURCE_KINDS:
        spec = _value(data, "spec")
        if spec is not None and spec.resolved().kind == "map":
            groups = _value(spec.resolved(), "groups")
            if groups is not None:
                yield groups, path + ((node, "resource"), (spec, "spec"))
    elif isinstance(kind, str) and kind.endswith("List"):
        items = _value(data, "items")
        if items is not None and items.resolved().kind == "seq":
            for item in items.resolved().items:
                yield from _group_lists(item, path + ((node, "list"), (items, "items list")), found)
    elif kind is None:
        groups = _value(data, "groups")
        if groups is not None:
            yield groups, path + ((node, PROVISIONING if version is not None else "document"),)


def _read_groups(groups: Node, path: tuple, found: list) -> None:
    if groups.resolved().kind != "seq":
        return
    provisioning = path[-1][1] == PROVISIONING
    path = path + ((groups, "list of rule groups"),)
    for group in groups.resolved().items:
        if group.resolved().kind != "map":
            continue
        rules = _value(group.resolved(), "rules")
        if rules is None or rules.resolved().kind != "seq":
            continue
        for rule in rules.resolved().items:
            data = rule.resolved()
            if data.kind != "map":
                continue
            rule_path = path + ((group, "rule group"), (rules, "rules list"), (rule, "rule"))
            inner = _value(data, "grafana_alert")
            if inner is not None and inner.resolved().kind == "map":  # the ruler API: annotations sit beside it
                _add_site(found, inner.resolved(), data, rule_path + ((inner, "grafana_alert"),))
                continue
            if provisioning and not data.get("alert"):  # a provisioning or export file's rule
                _add_site(found, data, data, rule_path)
                continue
            alert = data.get("alert")
            if not alert:
                continue
            key, value = alert[-1]
            value = value.resolved()
            if value.kind == "scalar" and value.value:
                found.append(RuleSite(value.value, data, rule_path, key.line, key.col))


def _add_site(found: list, definition: Node, holder: Node, path: tuple) -> None:
    """A Grafana alert rule: named by ``definition``'s ``title:``, annotated in ``holder``. Recording rules
    (``record:`` in the definition) have no runbook."""
    if definition.get("record"):
        return
    title = definition.get("title")
    if not title:
        return
    key, value = title[-1]
    value = value.resolved()
    if value.kind == "scalar" and value.value.strip():
        found.append(RuleSite(value.value, holder, path, key.line, key.col))
