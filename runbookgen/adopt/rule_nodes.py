"""Find the alerting rules in a rule file's node tree, with the containers on the way to each.

The shapes are those the rule readers accept: a ``groups:`` file, ``PrometheusRule``
(and Loki Operator ``AlertingRule``, VictoriaMetrics ``VMRule``) resources with
``spec.groups``, and Kubernetes ``List`` s of them, several documents to a file.
Each container between the document and the rule is kept with a name for it,
so that an edit can say which one is shared when it cannot be made.
"""

from __future__ import annotations

from dataclasses import dataclass

from runbookgen.adopt.yaml_tree import Node

RESOURCE_KINDS = frozenset(("PrometheusRule", "AlertingRule", "VMRule"))


@dataclass(frozen=True)
class RuleSite:
    """One alerting rule: its name, its mapping node, and the containers that lead to it."""

    name: str
    rule: Node
    path: tuple  # ((node as written, what it is), ...), outermost first, the rule last
    line: int  # 0-based position of the alert: key
    col: int


def alert_sites(roots: list) -> list[RuleSite]:
    found: list[RuleSite] = []
    for root in roots:
        if root is not None:
            for groups, path in _group_lists(root, ()):
                _read_groups(groups, path, found)
    return found


def _value(mapping: Node, key: str) -> Node | None:
    pairs = mapping.get(key)
    return pairs[-1][1] if pairs else None


def _group_lists(node: Node, path: tuple):
    data = node.resolved()
    if data.kind != "map":
        return
    kind_node = _value(data, "kind")
    kind = kind_node.resolved().value if kind_node is not None and kind_node.resolved().kind == "scalar" else None
    if kind in RESOURCE_KINDS:
        spec = _value(data, "spec")
        if spec is not None and spec.resolved().kind == "map":
            groups = _value(spec.resolved(), "groups")
            if groups is not None:
                yield groups, path + ((node, "resource"), (spec, "spec"))
    elif isinstance(kind, str) and kind.endswith("List"):
        items = _value(data, "items")
        if items is not None and items.resolved().kind == "seq":
            for item in items.resolved().items:
                yield from _group_lists(item, path + ((node, "list"), (items, "items list")))
    elif kind is None:
        groups = _value(data, "groups")
        if groups is not None:
            yield groups, path + ((node, "document"),)


def _read_groups(groups: Node, path: tuple, found: list) -> None:
    if groups.resolved().kind != "seq":
        return
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
            alert = data.get("alert")
            if not alert:
                continue
            key, value = alert[-1]
            value = value.resolved()
            if value.kind == "scalar" and value.value:
                found.append(RuleSite(value.value, data,
                                      path + ((group, "rule group"), (rules, "rules list"), (rule, "rule")),
                                      key.line, key.col))
