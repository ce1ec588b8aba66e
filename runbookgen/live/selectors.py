"""The vector selectors of a PromQL expression, with where each starts inside the expression.

``vector_selectors(expr)`` is the one function the live checks use to take an
expression apart. The ``promql-parser`` tree says what each selector matches but
not where it was written, so a small scanner finds the selectors' starts in the
text (skipping strings, comments, label lists of ``by``/``on``/... and function
names) and pairs them, in source order, with the selectors of the tree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import promql_parser

from runbookgen.queries.promql import fill_grafana_variables, promql_error

_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
# Selectors inside these are meant to match nothing when all is well.
ABSENCE_FUNCTIONS = frozenset({"absent", "absent_over_time"})
_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_KEYWORDS = _GROUPING | frozenset({"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"})
_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*"? | '(?:[^'\\]|\\.)*'? | `[^`]*`?)
  | (?P<number>[0-9.][0-9a-zA-Z_.]*)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<punct>.)""", re.VERBOSE | re.DOTALL)


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
    start: int | None  # 0-based offset of its first character in the expression, None when not found
    line: int = 1  # 1-based line and column of ``start`` inside the expression
    col: int = 1
    offset_seconds: float = 0.0  # its `offset` modifier
    alternatives: tuple[tuple[Matcher, ...], ...] = ()  # `{a="x" or b="y"}`: each branch's matchers
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
    if promql_error(filled):  # our parser, bounded in depth and size, says first: promql-parser can crash
        return []
    try:
        tree = promql_parser.parse(filled)
    except Exception:  # noqa: BLE001 - an invalid expression is the invalid-promql check's business
        return []
    found: list[tuple] = []
    _collect(tree, found)
    starts = _selector_starts(expr)
    result, used = [], 0
    for node, in_absence in found:
        metric, matchers = _split_name(node)
        at = _match_start(starts, used, metric)
        if at is not None:
            used = at[0] + 1
        start = at[1] if at is not None else None
        line, col = _line_col(expr, start) if start is not None else (1, 1)
        alternatives = tuple(tuple(_matcher(m) for m in branch) for branch in node.matchers.or_matchers)
        offset = node.offset.total_seconds() if node.offset is not None else 0.0
        result.append(Selector(metric, matchers, start, line, col, offset, alternatives, in_absence, _at_time(node)))
    return result


def _collect(tree, out: list) -> None:
    """(selector node, inside absent()) in source order; a stack, not recursion: rules can nest deeply."""
    stack = [(tree, False)]
    while stack:
        node, in_absence = stack.pop()
        if isinstance(node, promql_parser.VectorSelector):
            out.append((node, in_absence))
            continue
        if isinstance(node, promql_parser.MatrixSelector):
            children = [node.vector_selector]
        elif isinstance(node, promql_parser.BinaryExpr):
            children = [node.lhs, node.rhs]
        elif isinstance(node, promql_parser.AggregateExpr):
            children = [node.param, node.expr] if node.param is not None else [node.expr]
        elif isinstance(node, promql_parser.Call):
            in_absence = in_absence or node.func.name in ABSENCE_FUNCTIONS
            children = list(node.args)
        elif isinstance(node, (promql_parser.ParenExpr, promql_parser.UnaryExpr, promql_parser.SubqueryExpr)):
            children = [node.expr]
        else:
            children = []
        stack.extend((child, in_absence) for child in reversed(children))


def _at_time(node) -> float | None:
    """The Unix time of ``@ <time>``; None for none, start() and end(). Read from its text: promql-parser
    panics when its ``at`` attribute is read for a time before 1970 (which its text shows as 0)."""
    if node.at is None or not str(node.at.type).endswith(".At"):
        return None
    try:
        return float(str(node.at).removeprefix("@").strip())
    except ValueError:
        return None


def _matcher(m) -> Matcher:
    return Matcher(m.name, _OPS[str(m.op).rsplit(".", 1)[-1]], m.value)


def _split_name(node) -> tuple[str, tuple[Matcher, ...]]:
    matchers = [_matcher(m) for m in node.matchers.matchers]
    metric = node.name or ""
    if not metric:
        named = next((m for m in matchers if m.name == "__name__" and m.op == "="), None)
        if named is not None:
            metric = named.value
            matchers.remove(named)
    return metric, tuple(matchers)


def _selector_starts(expr: str) -> list[tuple[int, str]]:
    """(offset, metric name or "{") of every place in the text where a vector selector begins."""
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(expr)
              if m.lastgroup not in ("space", "comment")]
    starts, depth, index = [], 0, 0
    while index < len(tokens):
        kind, text, at = tokens[index]
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        index += 1
        if kind == "punct" and text == "{" and index >= 2 and tokens[index - 2][1] == "$":
            index = _after_group(tokens, index - 1, "{", "}")  # ${variable}
        elif kind == "punct" and text == "{":
            if depth == 0:
                starts.append((at, "{"))
            depth += 1
        elif kind == "punct" and text == "}":
            depth = max(0, depth - 1)
        elif kind == "punct" and text == "[" and depth == 0:
            index = _after_group(tokens, index - 1, "[", "]")  # a range or subquery: durations, variables
        elif kind == "ident" and depth == 0 and index >= 2 and tokens[index - 2][1] == "$":
            pass  # $variable
        elif kind == "ident" and depth == 0:
            lowered = text.lower()
            if lowered in _GROUPING and following == "(":
                index = _after_group(tokens, index, "(", ")")  # a list of label names, not selectors
            elif following != "(" and following.lower() not in _GROUPING and lowered not in _KEYWORDS:
                # (an identifier before "by"/"without" is an aggregation: sum by (a) (x))
                starts.append((at, text))
                if following == "{":  # name{...}: one selector, starting at the name
                    index, depth = index + 1, depth + 1
    return starts


def _after_group(tokens: list, index: int, opening: str, closing: str) -> int:
    """The index after the bracketed group that opens at ``tokens[index]``."""
    depth = 0
    while index < len(tokens):
        text = tokens[index][1]
        depth += 1 if text == opening else -1 if text == closing else 0
        index += 1
        if depth == 0:
            break
    return index


def _match_start(starts: list[tuple[int, str]], first: int, metric: str) -> tuple[int, int] | None:
    """(index in ``starts``, offset) of the next place where a selector of ``metric`` begins.

    A selector written ``{__name__="m"}`` starts at a brace, so a brace matches any selector.
    """
    for index in range(first, len(starts)):
        at, text = starts[index]
        if text == metric or text == "{":
            return index, at
    return None


def _line_col(expr: str, offset: int) -> tuple[int, int]:
    line = expr.count("\n", 0, offset) + 1
    return line, offset - (expr.rfind("\n", 0, offset) + 1) + 1
