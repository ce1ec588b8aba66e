"""Read rule files into ``Rule`` values.

Accepted shapes: a ``groups:`` file (Prometheus, Thanos, Mimir/Cortex, Loki,
vmalert, and the ``namespace:`` key of cortextool/lokitool files), the custom
resources ``PrometheusRule`` (Prometheus Operator), ``VMRule`` (VictoriaMetrics
operator), ``AlertingRule`` and ``RecordingRule`` (Loki Operator), Grafana-managed
rules (see ``grafana``), a Kubernetes ``List`` of resources, and any number of
these as documents of one YAML file; other Kubernetes objects in a multi-document
manifest are passed over. Rules keep the file, line and column of their ``alert:``
or ``record:`` key (a Grafana rule: of its ``title:``).

A pattern may name the ruler that evaluates its files (``loki:rules/``; see
``rulers``); the ruler decides which keys are allowed and the expressions'
language. Files that are not regular files (a FIFO, a device) are refused
before anything opens them, since reading one can wait for ever.

What Prometheus or Loki would refuse to load (a rule without ``expr``, a bad
``for`` duration, an unknown key, a repeated group name) becomes a ``RuleProblem``
for the invalid-rule check. A file that cannot be read at all, or that is not a
rule file, is a ``Problem`` when it was named directly, and is skipped with a
reason when a folder or a glob brought it in.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from runbookgen.problems import display_path
from runbookgen.problems import did_you_mean
from runbookgen.problems import InputError, Position, Problem
from runbookgen import rulers
from runbookgen.rules import grafana
from runbookgen.rules.dialect import in_loki_folder
from runbookgen.rules.groups import GroupReader
from runbookgen.rules.model import Rule, RuleProblem, RuleSet
from runbookgen.rules.paths import expand
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.files import read_text
from runbookgen.yamlread.build import read_documents
from runbookgen.yamlread.values import PosList, PosMap

SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                 (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
TEMPLATE_REASON = ("looks like a Helm or Go template ({{ ... }} outside strings); render it first "
                   "(for example with helm template) and lint the output")
NOT_RULES_REASON = ("not a rule file: no top-level groups: list and no rule resource (PrometheusRule, VMRule, "
                    "Loki AlertingRule or RecordingRule, Grafana AlertRule)")


def read_rules(patterns, base_dir: str = ".", *, where: Position | None = None) -> RuleSet:
    """Read every rule file that ``patterns`` (files, folders, globs relative to ``base_dir``) name."""
    todo, unmatched = rule_files(patterns, base_dir)
    return assemble([read_rule_file(*entry) for entry in todo], unmatched, where)


def rule_files(patterns, base_dir: str) -> tuple[list[tuple[str, bool, str]], list[tuple[str, str]]]:
    """The files to read, each once, as ``(path, named directly, ruler)``; and ``(pattern, why)`` for patterns
    that found none. A file that two patterns reach is read with the first pattern's ruler."""
    unmatched: list[tuple[str, str]] = []
    todo: list[tuple[str, bool, str]] = []
    seen: set[str] = set()
    for pattern in patterns:
        ruler, _ = rulers.split_ruler(pattern)
        found, why = expand(pattern, base_dir)
        if why:
            unmatched.append((pattern, why))
        for path, named in found:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                todo.append((path, named, ruler))
    return todo, unmatched


@dataclass(frozen=True)
class FileResult:
    """What one rule file gave: its rules and their problems, or why it could not be used."""

    shown: str
    rules: tuple[Rule, ...] = ()
    rule_problems: tuple[RuleProblem, ...] = ()
    problems: tuple[Problem, ...] = ()  # unusable: unreadable, not YAML, or named directly and not rules
    skipped: str = ""  # found through a folder or glob and not a rule file: the reason


def read_rule_file(path: str, named: bool, ruler: str = rulers.AUTO) -> FileResult:
    reader = _FileReader(path, display_path(path), ruler)
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


class _FileReader(GroupReader):
    def __init__(self, path: str, shown: str, ruler: str = rulers.AUTO):
        super().__init__(shown, "", ruler=ruler, loki_folder=ruler == rulers.AUTO and in_loki_folder(path))
        self.path = path
        self.not_rules: tuple = ()  # (reason, line, col) when this is not a rule file

    def read(self) -> None:
        _refuse_special_file(self.path, self.shown)
        self.text = read_text(self.path, display=self.shown)
        try:
            documents = read_documents(self.text, self.shown)
        except YamlError as err:
            if "{{" in self.text and not err.reason.startswith(("alias", "aliases")):
                self.not_rules = (TEMPLATE_REASON, err.position.line, err.position.col)
                return
            raise
        found = False
        for document in documents:
            holders = list(_rule_holders(document.data))
            if holders and "{{" in self.text and any("plain strings" in p.message for p in document.problems):
                self.not_rules = (TEMPLATE_REASON, document.problems[0].pos.line, document.problems[0].pos.col)
                return
            for found_problem in document.problems if holders else ():
                self.problem(found_problem.pos[1:], found_problem.message)
            for holder, source in holders:
                found = True
                self.read_holder(holder, source)
        if not found and any(d.data is not None for d in documents):
            self.not_rules = (NOT_RULES_REASON, 1, 1)

    def read_holder(self, holder: PosMap, source: str) -> None:
        if source.startswith("Grafana"):
            if grafana.is_resource(holder):
                grafana.read_resource(self, holder)
            else:
                grafana.read_provisioning(self, holder, source)
            return
        ruler = None
        if source != "rule file":
            kind = holder.get("kind")
            spec = holder.get("spec")
            if not isinstance(spec, PosMap) or not isinstance(spec.get("groups"), PosList):
                self.problem(holder.pos, f"{kind} has no spec.groups list")
                return
            if self.ruler == rulers.AUTO:
                ruler = _RESOURCE_RULERS.get(kind)
            holder = spec
        else:
            allowed = rulers.FILE_KEYS[self.ruler]
            for key in holder:
                if key not in allowed:
                    self.problem(holder.key_pos[key], f"unknown top-level key {key!r}"
                                                      f"{did_you_mean(key, sorted(allowed))}")
        self.read_groups(holder, source, ruler=ruler, resource=source.startswith("PrometheusRule"))

    def read_rule(self, item, at: tuple, ruler: str) -> dict | None:
        if isinstance(item, PosMap) and "grafana_alert" in item:  # Grafana's ruler API shape
            grafana.read_ruler_api_rule(self, item, self._group, "Grafana rule group")
            return None
        return super().read_rule(item, at, ruler)

    def read_group(self, group, at, source, ruler, resource, names) -> None:
        self._group = group.get("name") if isinstance(group, PosMap) and isinstance(group.get("name"), str) else ""
        super().read_group(group, at, source, ruler, resource, names)


_RESOURCE_RULERS = {"VMRule": "vmalert", "AlertingRule": "loki",
                    "RecordingRule": "loki"}
_RESOURCE_GROUPS = {"PrometheusRule": "monitoring.coreos.com/", "VMRule": "operator.victoriametrics.com/",
                    "AlertingRule": "loki.grafana.com/", "RecordingRule": "loki.grafana.com/"}


def _refuse_special_file(path: str, shown: str) -> None:
    """A FIFO, device or socket is refused by its type, before anything opens it (opening a FIFO waits)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # read_text says what is wrong
    for test, what in SPECIAL_FILES:
        if test(mode):
            raise InputError([Problem(Position(shown, 1, 1), f"is {what}, not a regular file: refused, since "
                                                             "reading it could wait for ever")])


def _rule_holders(data):
    """The mappings in one YAML document that hold rule groups, with a description of each."""
    if not isinstance(data, PosMap):
        return
    kind = data.get("kind")
    version = data.get("apiVersion")
    if isinstance(kind, str) and kind in _RESOURCE_GROUPS and (not isinstance(version, str) or kind == "PrometheusRule"
                                     or version.startswith(_RESOURCE_GROUPS[kind])):
        meta = data.get("metadata") if isinstance(data.get("metadata"), PosMap) else {}
        where = "/".join(str(meta[k]) for k in ("namespace", "name") if meta.get(k))
        yield data, f"{kind} {where}".strip()
    elif grafana.is_resource(data):
        yield data, "Grafana resource"
    elif isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), PosList):
        for item in data["items"]:
            yield from _rule_holders(item)
    elif kind is None and grafana.is_provisioning(data):
        yield data, "Grafana provisioning file"
    elif kind is None and "groups" in data:
        yield data, "rule file"
