"""Read Prometheus and Loki rule files, and PrometheusRule resources, into ``Rule`` values.

Accepted shapes: a ``groups:`` file (Prometheus, Loki, and the ``namespace:`` key
of cortextool/lokitool files), a ``PrometheusRule`` custom resource (its
``spec.groups``), a Kubernetes ``List`` of them, and any number of these as
documents of one YAML file; other Kubernetes objects in a multi-document manifest
are passed over. Rules keep the file, line and column of their ``alert:`` or
``record:`` key.

What Prometheus or Loki would refuse to load (a rule without ``expr``, a bad
``for`` duration, an unknown key, a repeated group name) becomes a ``RuleProblem``
for the invalid-rule check. A file that cannot be read at all, or that is not a
rule file, is a ``Problem`` when it was named directly, and is skipped with a
reason when a folder or a glob brought it in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from runbookgen.inventory.load import display_path
from runbookgen.inventory.validate import did_you_mean
from runbookgen.problems import InputError, Position, Problem
from runbookgen.rules.dialect import LOKI, group_dialect, in_loki_folder
from runbookgen.rules.model import Rule, RuleProblem, RuleSet
from runbookgen.rules.paths import expand
from runbookgen.rules.yamlevents import PosList, PosMap, YamlSyntaxError, read_documents
from runbookgen.yamlsource import read_text

RULE_KEYS = ("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations")
GROUP_KEYS = ("name", "rules", "interval", "query_offset", "limit", "labels", "source_tenants",
              "evaluation_delay", "partial_response_strategy")
FILE_KEYS = ("groups", "namespace")
DURATION = re.compile(r"0|(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TEMPLATE_REASON = ("looks like a Helm or Go template ({{ ... }} outside strings); render it first "
                   "(for example with helm template) and lint the output")
NOT_RULES_REASON = "not a rule file: no top-level groups: list and no PrometheusRule resource"


def read_rules(patterns, base_dir: str = ".", *, where: Position | None = None) -> RuleSet:
    """Read every rule file that ``patterns`` (files, folders, globs relative to ``base_dir``) name."""
    todo, unmatched = rule_files(patterns, base_dir)
    return assemble([read_rule_file(path, named) for path, named in todo], unmatched, where)


def rule_files(patterns, base_dir: str) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    """The files to read, each once, as ``(path, named directly)``; and ``(pattern, why)`` for patterns that found none."""
    unmatched: list[tuple[str, str]] = []
    todo: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for pattern in patterns:
        found, why = expand(pattern, base_dir)
        if why:
            unmatched.append((pattern, why))
        for path, named in found:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                todo.append((path, named))
    return todo, unmatched


@dataclass(frozen=True)
class FileResult:
    """What one rule file gave: its rules and their problems, or why it could not be used."""

    shown: str
    rules: tuple[Rule, ...] = ()
    rule_problems: tuple[RuleProblem, ...] = ()
    problems: tuple[Problem, ...] = ()  # unusable: unreadable, not YAML, or named directly and not rules
    skipped: str = ""  # found through a folder or glob and not a rule file: the reason


def read_rule_file(path: str, named: bool) -> FileResult:
    reader = _FileReader(path, display_path(path))
    try:
        reader.read()
    except InputError as err:
        return FileResult(reader.shown, problems=tuple(err.problems))
    if reader.not_rules:
        if named:
            return FileResult(reader.shown, problems=(Problem(Position(reader.shown, *reader.not_rules[1:]),
                                                              reader.not_rules[0]),))
        return FileResult(reader.shown, skipped=reader.not_rules[0])
    return FileResult(reader.shown, tuple(reader.rules), tuple(reader.problems))


def assemble(results: list[FileResult], unmatched: list[tuple[str, str]], where: Position | None) -> RuleSet:
    """One RuleSet from the files' results, in the order the files were listed."""
    problems = [Problem(where or Position(pattern, 1, 1), why) for pattern, why in unmatched]
    rules, rule_problems, skipped, files = [], [], [], []
    for result in results:
        problems += result.problems
        if result.skipped:
            skipped.append((result.shown, result.skipped))
        elif not result.problems:
            files.append(result.shown)
            rules += result.rules
            rule_problems += result.rule_problems
    return RuleSet(tuple(rules), tuple(files), tuple(rule_problems), tuple(skipped), tuple(problems))


class _FileReader:
    def __init__(self, path: str, shown: str):
        self.path, self.shown = path, shown
        self.rules: list[Rule] = []
        self.problems: list[RuleProblem] = []
        self.not_rules: tuple = ()  # (reason, line, col) when this is not a rule file
        self.loki_folder = in_loki_folder(path)
        self._lines: list[str] | None = None
        self.text = ""

    def pos(self, at: tuple) -> Position:
        return Position(self.shown, at[0] + 1, at[1] + 1)

    def problem(self, at: tuple, message: str, alert: str = "") -> None:
        self.problems.append(RuleProblem(self.pos(at), message, alert))

    def read(self) -> None:
        self.text = read_text(self.path, display=self.shown)
        try:
            documents = read_documents(self.text)
        except YamlSyntaxError as err:
            if "{{" in self.text:
                self.not_rules = (TEMPLATE_REASON, err.line + 1, err.col + 1)
                return
            raise InputError([Problem(Position(self.shown, err.line + 1, err.col + 1),
                                      f"YAML syntax error: {err.message}")]) from None
        found = False
        for document in documents:
            holders = list(_rule_holders(document.data))
            if holders and "{{" in self.text and any("plain strings" in p[2] for p in document.problems):
                self.not_rules = (TEMPLATE_REASON, document.problems[0][0] + 1, document.problems[0][1] + 1)
                return
            for line, col, message in document.problems if holders else ():
                self.problem((line, col), message)
            for holder, source in holders:
                found = True
                self.read_holder(holder, source)
        if not found and any(d.data is not None for d in documents):
            self.not_rules = (NOT_RULES_REASON, 1, 1)

    def read_holder(self, holder: PosMap, source: str) -> None:
        resource = source != "rule file"
        if resource:
            spec = holder.get("spec")
            if not isinstance(spec, PosMap) or not isinstance(spec.get("groups"), PosList):
                self.problem(holder.pos, "PrometheusRule has no spec.groups list")
                return
            holder = spec
        else:
            for key in holder:
                if key not in FILE_KEYS:
                    self.problem(holder.key_pos[key], f"unknown top-level key {key!r}{did_you_mean(key, FILE_KEYS)}")
        groups = holder.get("groups")
        if groups is None:  # "groups:" with nothing under it: an empty rule file, as Prometheus reads it
            return
        if not isinstance(groups, PosList):
            self.problem(holder.value_pos.get("groups", holder.pos), "groups must be a list of rule groups")
            return
        names: dict[str, tuple] = {}
        for at, group in zip(groups.item_pos, groups):
            self.read_group(group, at, source, resource, names)

    def read_group(self, group, at: tuple, source: str, resource: bool, names: dict) -> None:
        if not isinstance(group, PosMap):
            self.problem(at, "a rule group must be a mapping with name: and rules:")
            return
        name = group.get("name")
        if not isinstance(name, str) or not name:
            self.problem(group.pos, "rule group has no name")
            name = ""
        elif name in names:
            self.problem(group.value_pos["name"], f"group name {name!r} is repeated in this file "
                                                  f"(first at line {names[name][0] + 1})")
        else:
            names[name] = group.value_pos["name"]
        for key in group:
            if key not in GROUP_KEYS:
                self.problem(group.key_pos[key], f"unknown key {key!r} in rule group{did_you_mean(key, GROUP_KEYS)}")
        for key in ("interval", "query_offset", "evaluation_delay"):
            self.check_duration(group, key)
        items = group.get("rules")
        if items is None:
            return
        if not isinstance(items, PosList):
            self.problem(group.value_pos["rules"], "rules must be a list")
            return
        parsed = [self.read_rule(item, item_at) for item_at, item in zip(items.item_pos, items)]
        parsed = [p for p in parsed if p]
        dialect = group_dialect([p["expr"] for p in parsed], loki_folder=self.loki_folder, resource=resource)
        for fields in parsed:
            fields["expr_layout"] = self.layout(fields.pop("_expr_at"), fields.pop("_expr_style"))
            self.rules.append(Rule(file=self.shown, group=name, dialect=dialect, source=source, **fields))

    def read_rule(self, item, at: tuple) -> dict | None:
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
        if kind == "record" and not METRIC_NAME.fullmatch(name):
            self.problem(item.value_pos[kind], f"{name!r} is not a valid metric name for a recording rule")
        for key in item:
            if key not in RULE_KEYS:
                self.problem(item.key_pos[key], f"unknown key {key!r} in rule {name!r}{did_you_mean(key, RULE_KEYS)}",
                             alert)
            elif kind == "record" and key in ("for", "keep_firing_for", "annotations"):
                self.problem(item.key_pos[key], f"recording rule {name!r} cannot have {key}:")
        expr = item.get("expr")
        if not isinstance(expr, str) or not expr.strip():
            self.problem(item.value_pos.get("expr", item.pos),
                         f"rule {name!r} has no expr:" if expr in (None, "") else f"expr: of {name!r} must be text",
                         alert)
            expr = ""
        positions = {(kind,): item.key_pos[kind], ("expr",): item.value_pos.get("expr", item.key_pos[kind])}
        fields = dict(line=item.key_pos[kind][0] + 1, col=item.key_pos[kind][1] + 1, kind=kind, name=name,
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

    def string_map(self, item: PosMap, key: str, positions: dict, alert: str) -> tuple:
        value = item.get(key)
        if value is None:
            return ()
        positions[(key,)] = item.key_pos[key]
        if not isinstance(value, PosMap):
            self.problem(item.value_pos[key], f"{key}: must be a mapping of names to text", alert)
            return ()
        pairs = []
        for name, text in value.items():
            if key == "labels" and not LABEL_NAME.fullmatch(name):
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
        lines = self._lines
        if style == "|":
            body = next((ln for ln in lines[at[0] + 1:] if ln.strip()), "")
            return ("|", at[0] + 1, len(body) - len(body.lstrip(" ")))
        if style or at[0] >= len(lines):
            return ()
        quote = lines[at[0]][at[1]:at[1] + 1]
        if quote == '"' and "\\" in lines[at[0]]:
            return ()
        return ("", at[0] + 1, at[1] + 1 + (quote in "\"'"))


def _rule_holders(data):
    """The mappings in one YAML document that hold rule groups, with a description of each."""
    if not isinstance(data, PosMap):
        return
    kind = data.get("kind")
    if kind == "PrometheusRule":
        meta = data.get("metadata") if isinstance(data.get("metadata"), PosMap) else {}
        where = "/".join(str(meta[k]) for k in ("namespace", "name") if meta.get(k))
        yield data, f"PrometheusRule {where}".strip()
    elif isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), PosList):
        for item in data["items"]:
            yield from _rule_holders(item)
    elif kind is None and "groups" in data:
        yield data, "rule file"
