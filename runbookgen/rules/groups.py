"""Read the ``groups:`` of a Prometheus-style rule file (Prometheus, Thanos, Mimir, Loki, vmalert) into rules.

The ruler (named for the file, else guessed from the content) decides which keys
a group and a rule may have, and in which language the expressions are (see
``rulers`` and ``dialect``). What the ruler would refuse to load becomes a
``RuleProblem``.
"""

from __future__ import annotations

import re

from runbookgen.problems import did_you_mean
from runbookgen.problems import Position
from runbookgen import rulers
from runbookgen.rules.dialect import LOKI, group_dialect
from runbookgen.rules.model import Rule, RuleProblem
from runbookgen.yamlread.layout import scalar_layout_in
from runbookgen.yamlread.values import PosList, PosMap

DURATION = re.compile(r"0|(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
VMALERT_GROUP_TYPES = ("prometheus", "graphite", "vlogs")


class GroupReader:
    """Collects rules and problems of one file; ``text`` maps positions inside LogQL expressions."""

    def __init__(self, shown: str, text: str, *, ruler: str = rulers.AUTO, loki_folder: bool = False):
        self.shown, self.text, self.ruler, self.loki_folder = shown, text, ruler, loki_folder
        self.rules: list[Rule] = []
        self.problems: list[RuleProblem] = []
        self._lines: list[str] | None = None

    def pos(self, at: tuple) -> Position:
        return Position(self.shown, at[0], at[1])

    def problem(self, at: tuple, message: str, alert: str = "") -> None:
        self.problems.append(RuleProblem(self.pos(at), message, alert))

    def read_groups(self, holder: PosMap, source: str, *, ruler: str | None = None, resource: bool = False) -> None:
        groups = holder.get("groups")
        if groups is None:  # "groups:" with nothing under it: an empty rule file, as Prometheus reads it
            return
        if not isinstance(groups, PosList):
            self.problem(holder.value_pos.get("groups", holder.pos), "groups must be a list of rule groups")
            return
        names: dict[str, tuple] = {}
        ruler = ruler or self.ruler
        if ruler == rulers.AUTO and _has_vmalert_keys(groups):
            ruler = "vmalert"  # one file goes to one ruler: a vmalert key in any group says which
        for at, group in zip(groups.item_pos, groups):
            self.read_group(group, at, source, ruler, resource, names)

    def read_group(self, group, at: tuple, source: str, ruler: str, resource: bool, names: dict) -> None:
        if not isinstance(group, PosMap):
            self.problem(at, "a rule group must be a mapping with name: and rules:")
            return
        name = group.get("name")
        if not isinstance(name, str) or not name:
            self.problem(group.pos, "rule group has no name")
            name = ""
        elif name in names:
            self.problem(group.value_pos["name"], f"group name {name!r} is repeated in this file "
                                                  f"(first at line {names[name][0]})")
        else:
            names[name] = group.value_pos["name"]
        allowed = rulers.GROUP_KEYS[ruler]
        for key in group:
            if key not in allowed:
                self.problem(group.key_pos[key], f"unknown key {key!r} in rule group{_for(ruler)}"
                                                 f"{did_you_mean(key, sorted(allowed))}")
        for key in ("interval", "query_offset", "evaluation_delay", "eval_offset", "eval_delay"):
            self.check_duration(group, key)
        group_type = group.get("type") if ruler == "vmalert" else None
        if group_type is not None and (not isinstance(group_type, str)
                                       or group_type not in VMALERT_GROUP_TYPES + ("",)):
            self.problem(group.value_pos["type"], f"type: {group_type!r} is not a vmalert group type "
                                                  f"({', '.join(VMALERT_GROUP_TYPES)})")
            group_type = None
        items = self.rules_list(group)
        if items is None:
            return
        parsed = [self.read_rule(item, item_at, ruler) for item_at, item in zip(items.item_pos, items)]
        parsed = [p for p in parsed if p]
        dialect = group_dialect([p["expr"] for p in parsed], loki_folder=self.loki_folder, resource=resource,
                                ruler=ruler, group_type=group_type or "")
        for fields in parsed:  # the layout maps positions inside the expression (query errors, live checks)
            fields["expr_layout"] = self.layout(fields.pop("_expr_at"), fields.pop("_expr_style"))
            self.rules.append(Rule(file=self.shown, group=name, dialect=dialect, source=source,
                                   ruler=_ruler_name(ruler, dialect), **fields))

    def rules_list(self, group: PosMap) -> PosList | None:
        """A group's ``rules:`` list; None when it has none, or when it is not a list (a problem)."""
        items = group.get("rules")
        if items is not None and not isinstance(items, PosList):
            self.problem(group.value_pos["rules"], "rules must be a list")
            return None
        return items

    def read_rule(self, item, at: tuple, ruler: str) -> dict | None:
        if not isinstance(item, PosMap):
            self.problem(at, "a rule must be a mapping with alert: or record:, and expr:")
            return None
        kind = "alert" if "alert" in item else "record"
        name = item.get(kind)
        alert = name if kind == "alert" and isinstance(name, str) else ""
        if "alert" in item and "record" in item:
            self.problem(item.key_pos["record"], "a rule has either alert: or record:, not both", alert)
        if kind not in item:
            self.problem(item.pos, "a rule needs alert: (an alerting rule) or record: (a recording rule)")
            return None
        if not isinstance(name, str) or not name:
            self.problem(item.value_pos[kind], f"{kind}: must be a non-empty name")
            return None
        if kind == "record" and not METRIC_NAME.fullmatch(name) and ruler != "vmalert":
            self.problem(item.value_pos[kind], f"{name!r} is not a valid metric name for a recording rule")
        allowed = rulers.RULE_KEYS[ruler]
        for key in item:
            if key not in allowed:
                self.problem(item.key_pos[key], f"unknown key {key!r} in rule {name!r}{_for(ruler)}"
                                                f"{did_you_mean(key, sorted(allowed))}", alert)
            elif kind == "record" and key in ("for", "keep_firing_for") or \
                    kind == "record" and key == "annotations" and ruler != "vmalert":
                self.problem(item.key_pos[key], f"recording rule {name!r} cannot have {key}:")
        expr = item.get("expr")
        if not isinstance(expr, str) or not expr.strip():
            self.problem(item.value_pos.get("expr", item.pos),
                         f"rule {name!r} has no expr:" if expr in (None, "") else f"expr: of {name!r} must be text",
                         alert)
            expr = ""
        positions = {(kind,): item.key_pos[kind], ("expr",): item.value_pos.get("expr", item.key_pos[kind])}
        fields = dict(line=item.key_pos[kind][0], col=item.key_pos[kind][1], kind=kind, name=name,
                      expr=expr, positions=positions, _expr_at=positions[("expr",)],
                      _expr_style=item.styles.get("expr", ""))
        for key, attr in (("for", "for_"), ("keep_firing_for", "keep_firing_for")):
            if self.check_duration(item, key, alert):
                fields[attr] = item[key]
                positions[(key,)] = item.value_pos[key]
        for key in ("labels", "annotations"):
            fields[key] = self.string_map(item, key, positions, alert)
        return fields

    def check_duration(self, mapping: PosMap, key: str, alert: str = "") -> bool:
        value = mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, str) or not DURATION.fullmatch(value):
            self.problem(mapping.value_pos[key], f"{key}: {value!r} is not a duration such as 30s, 5m or 1h30m",
                         alert)
            return False
        return True

    def string_map(self, item: PosMap, key: str, positions: dict, alert: str, *, label_names: bool = True) -> tuple:
        value = item.get(key)
        if value is None:
            return ()
        positions[(key,)] = item.key_pos[key]
        if not isinstance(value, PosMap):
            self.problem(item.value_pos[key], f"{key}: must be a mapping of names to text", alert)
            return ()
        pairs = []
        for name, text in value.items():
            if key == "labels" and label_names and not LABEL_NAME.fullmatch(name):
                self.problem(value.key_pos[name], f"{name!r} is not a valid label name", alert)
            if isinstance(text, (PosMap, PosList)):
                shape = "list" if isinstance(text, PosList) else "mapping"
                self.problem(value.value_pos[name], f"{key}.{name} must be text, not a {shape}", alert)
                continue
            pairs.append((name, text or ""))
            positions[(key, name)] = value.value_pos[name]
        return tuple(sorted(pairs))

    def layout(self, at: tuple, style: str) -> tuple:
        """How to map a position inside an expression back to the file (see Rule.position_in_expr)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return scalar_layout_in(self._lines, Position(self.shown, at[0], at[1]), style)


def _for(ruler: str) -> str:
    return f" (for the {ruler} ruler)" if ruler != rulers.AUTO else ""


def _ruler_name(ruler: str, dialect: str) -> str:
    if ruler != rulers.AUTO:
        return ruler
    return "loki" if dialect == LOKI else "prometheus"


def _has_vmalert_keys(groups: PosList) -> bool:
    """True when a group or one of its rules has a key only vmalert knows."""
    for group in groups:
        if not isinstance(group, PosMap):
            continue
        if any(key in rulers.VMALERT_GROUP for key in group):
            return True
        items = group.get("rules")
        if isinstance(items, PosList) and any(isinstance(item, PosMap) and any(k in rulers.VMALERT_RULE for k in item)
                                             for item in items):
            return True
    return False
