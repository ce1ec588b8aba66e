"""The vector selectors of a PromQL expression, with where each starts inside the expression.

``vector_selectors(expr)`` is the one function the live checks use to take an expression apart.
Our own PromQL parser (``runbookgen.queries.promql.vector_selectors``) gives each selector's
metric, matchers and place; what the live checks need besides (its ``offset`` and ``@``
modifiers, whether it is inside ``absent()``) is read here from the tokens around it.
Grafana's built-in variables are filled in before parsing, and places are mapped back to the
expression as written.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

from runbookgen.durations import parse_duration
from runbookgen.problems import line_col
from runbookgen.queries.promql import fill_grafana_variables, promql_error
from runbookgen.queries.promql import vector_selectors as parsed_selectors

# Selectors inside these are meant to match nothing when all is well.
ABSENCE_FUNCTIONS = frozenset({"absent", "absent_over_time"})
_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*"? | '(?:[^'\\]|\\.)*'? | `[^`]*`?)
  | (?P<number>[0-9.](?:[eE][+-]?[0-9]|[0-9a-zA-Z_.])*)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<punct>.)""", re.VERBOSE | re.DOTALL)
_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]")  # what Grafana fills in (see fill_grafana_variables)


@dataclass(frozen=True)
class Matcher:
    name: str
    op: str  # =, !=, =~, !~
    value: str

    def __str__(self) -> str:
        return f"{self.name}{self.op}{_quote(self.value)}"


@dataclass(frozen=True)
class Selector:
    """One vector selector: ``metric`` ("" when it has none) and its other matchers, as written."""

    metric: str
    matchers: tuple[Matcher, ...]
    start: int  # 0-based offset of its first character in the expression
    line: int = 1  # 1-based line and column of ``start`` inside the expression
    col: int = 1
    offset_seconds: float = 0.0  # its `offset` modifier
    in_absence: bool = False  # an argument of absent() or absent_over_time()
    at_seconds: float | None = None  # its `@ <time>` modifier as a Unix time; start()/end() count as now

    def series_match(self, matchers: tuple[Matcher, ...] | None = None) -> str:
        """The selector as a ``match[]`` value, optionally with other label matchers."""
        parts = ([Matcher("__name__", "=", self.metric)] if self.metric else []) + list(
            self.matchers if matchers is None else matchers)
        return "{" + ", ".join(str(m) for m in parts) + "}"

    def __str__(self) -> str:
        shown = ", ".join(str(m) for m in self.matchers)
        return f"{self.metric}{{{shown}}}" if shown or not self.metric else self.metric


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # PromQL double-quoted strings take JSON's escapes




def vector_selectors(expr: str) -> list[Selector]:
    """Every vector selector of ``expr`` in source order; [] when it does not parse.

    Grafana's built-in variables (``$__rate_interval``...) are filled in before parsing, as
    Grafana does; positions still count in ``expr`` as written.
    """
    filled = fill_grafana_variables(expr)
    if promql_error(filled):  # what the invalid-promql check refuses is not taken apart here either
        return []
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(filled) if m.lastgroup not in ("space", "comment")]
    starts = [at for _, at in tokens]
    absent = _inside_absence(tokens)
    written = _written_offset(expr)
    result = []
    for found in parsed_selectors(filled):
        metric, matchers = _split_name(found.metric, found.matchers)
        offset, at = _modifiers(tokens, bisect.bisect_left(starts, found.end))
        start = written(found.start)
        line, col = line_col(expr, start)
        result.append(Selector(metric, matchers, start, line, col, offset_seconds=offset,
                               in_absence=absent[bisect.bisect_left(starts, found.start)], at_seconds=at))
    return result


def _split_name(metric: str, matchers: tuple) -> tuple[str, tuple[Matcher, ...]]:
    """The metric name and the other matchers (a ``__name__="m"`` matcher that names it is the name)."""
    kept = [Matcher(name, op, value) for name, op, value in matchers]
    named = next((m for m in kept if m.name == "__name__" and m.op == "=" and m.value == metric), None)
    if named is not None:
        kept.remove(named)
    return metric, tuple(kept)


def _inside_absence(tokens: list[tuple[str, int]]) -> list[bool]:
    """For each token (and one past the end): whether it is inside the parentheses of absent()."""
    inside, open_calls, depth = [], [], 0  # open_calls: the depths at which an absent( opened
    for index, (text, _) in enumerate(tokens):
        if text == "(":
            depth += 1
            if index and tokens[index - 1][0] in ABSENCE_FUNCTIONS:
                open_calls.append(depth)
        elif text == ")":
            if open_calls and open_calls[-1] == depth:
                open_calls.pop()
            depth -= 1
        inside.append(bool(open_calls))
    return inside + [False]


def _modifiers(tokens: list[tuple[str, int]], index: int) -> tuple[float, float | None]:
    """(offset in seconds, ``@`` time or None) of the selector whose text ends before ``tokens[index]``.

    A range (``[5m]``) comes first; a subquery (``[1h:5m]``) takes the modifiers that follow it."""
    text = lambda i: tokens[i][0] if i < len(tokens) else ""  # noqa: E731
    if text(index) == "[":
        close = _closing(tokens, index)
        if any(":" in text(i) for i in range(index, close)):  # (the tokenizer may join ":" to what follows)
            return 0.0, None
        index = close + 1
    offset, at = 0.0, None
    while True:
        word = text(index).lower()
        if word == "offset":
            sign = -1.0 if text(index + 1) == "-" else 1.0
            index += 2 if text(index + 1) in ("-", "+") else 1
            offset = sign * _seconds(text(index))
            index += 1
        elif word == "@":
            sign = -1.0 if text(index + 1) == "-" else 1.0
            index += 2 if text(index + 1) in ("-", "+") else 1
            at = None if text(index).lower() in ("start", "end") else round(sign * _seconds(text(index)), 3)
            index += 3 if text(index).lower() in ("start", "end") else 1
        elif word in ("anchored", "smoothed"):
            index += 1
        else:
            return offset, at


def _closing(tokens: list[tuple[str, int]], index: int) -> int:
    """The index of the bracket that closes the one at ``tokens[index]``."""
    depth = 0
    for i in range(index, len(tokens)):
        depth += {"[": 1, "]": -1}.get(tokens[i][0], 0)
        if depth == 0:
            return i
    return len(tokens)


def _seconds(text: str) -> float:
    """A duration token in seconds (a plain number counts as seconds); 0 for a duration expression."""
    duration = parse_duration(text)
    return duration.total_seconds() if duration is not None else _number(text)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        try:
            return float(int(text, 0))
        except ValueError:
            return 0.0


def _written_offset(expr: str):
    """A function from an offset in the filled-in expression to the same place in ``expr`` as written."""
    shifts, delta = [], 0  # (first filled offset after a filled-in variable, written - filled from there)
    for match in _VARIABLE.finditer(expr):
        filled = fill_grafana_variables(match.group())
        if filled != match.group():
            delta += len(match.group()) - len(filled)
            shifts.append((match.end() - delta, delta))

    def written(offset: int) -> int:
        index = bisect.bisect_right([at for at, _ in shifts], offset) - 1
        return offset + (shifts[index][1] if index >= 0 else 0)

    return written


