"""What the rule readers return: rules that remember where they were written."""

from __future__ import annotations

from dataclasses import dataclass, field

from runbookgen.problems import Position, Problem


@dataclass(frozen=True)
class Rule:
    """One alerting or recording rule, as written in a Prometheus or Loki rule file.

    ``line``/``col`` point at the rule's ``alert:`` (or ``record:``) key. ``where()``
    gives the position of any part: ``rule.where("labels", "severity")`` is the
    severity label's value, ``rule.where("annotations")`` the annotations key.
    """

    file: str
    line: int
    col: int
    kind: str  # "alert" or "record"
    name: str
    expr: str
    group: str
    dialect: str = "prometheus"  # the expression's language: "prometheus" (PromQL), "loki" (LogQL), or one
    # without a grammar here: "metricsql", "logsql", "graphite", "unknown" (see rules.rulers.UNCHECKED)
    source: str = "rule file"  # or "PrometheusRule <namespace>/<name>", "Grafana provisioning file", ...
    ruler: str = "prometheus"  # prometheus, loki, vmalert, thanos, mimir or grafana: named, else guessed
    for_: str = ""
    keep_firing_for: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    expr_layout: tuple = ()  # ("|", first content line, indent) for block scalars; ("", line, col) otherwise
    positions: dict = field(default_factory=dict, compare=False, repr=False)  # key path -> (line0, col0)

    @property
    def pos(self) -> Position:
        return Position(self.file, self.line, self.col)

    @property
    def is_alert(self) -> bool:
        return self.kind == "alert"

    def label(self, name: str) -> str | None:
        for key, value in self.labels:
            if key == name:
                return value
        return None

    def annotation(self, name: str) -> str | None:
        for key, value in self.annotations:
            if key == name:
                return value
        return None

    def where(self, *keys: str) -> Position:
        """Where a part of the rule was written; the nearest written ancestor, else the rule."""
        while keys:
            found = self.positions.get(keys)
            if found:
                return Position(self.file, found[0], found[1])
            keys = keys[:-1]
        return self.pos

    @property
    def expr_pos(self) -> Position:
        return self.where("expr")

    def position_in_expr(self, line: int, col: int) -> Position:
        """The file position of ``line``:``col`` (1-based) inside the expression, where it can be known."""
        if not self.expr_layout:
            return self.expr_pos
        style, first, offset = self.expr_layout
        if style == "|":
            return Position(self.file, first + line, offset + col)
        if line == 1:
            return Position(self.file, first, offset + col - 1)
        return self.expr_pos


@dataclass(frozen=True)
class RuleProblem:
    """A rule file that Prometheus or Loki would refuse to load (reported by the invalid-rule check)."""

    pos: Position
    message: str
    alert: str = ""


@dataclass(frozen=True)
class RuleSet:
    """Everything read from the rule paths: the rules, and what went wrong or was left out."""

    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()
    rule_problems: tuple[RuleProblem, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason)
    problems: tuple[Problem, ...] = ()  # files that could not be read at all

    @property
    def alerting(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "alert")
