"""What Prometheus checks while and after parsing a PromQL query (promql/parser: parse.go, checkAST).

``Semantics`` holds the callbacks lark calls as each rule of ``promql.lark`` is reduced. Each returns a
``Node`` (its type, where it is, a canonical spelling for comparing queries); the first rule Prometheus
would refuse the query for is kept in ``errors`` with its offset, the feature flags the query needs in
``features``, and every vector selector in ``selectors``. Nothing here recurses, so depth costs nothing.
Operators live in ``promql_operators``, durations in ``promql_durations`` (mixed in).
"""

from __future__ import annotations

import json
import math
import re


from runbookgen.queries.promql_functions import (AGGREGATION_PARAMS, EXPERIMENTAL_AGGREGATIONS, FUNCTIONS,
                                                 MATRIX, PROMETHEUS_2_FUNCTIONS, SCALAR, STRING, VECTOR)
from runbookgen.queries.promql_durations import DURATION_EXPR, DurationRules
from runbookgen.queries.promql_nodes import Duration, Node, flatten, joined
from runbookgen.queries.promql_operators import OperatorRules
from runbookgen.queries.promql_lexer import MAX_DURATION_MS, Token, duration_ms, number_value

EXTENDED_RANGE = "promql-extended-range-selectors"

_json_string = json.encoder.encode_basestring_ascii  # what json.dumps gives for a str, without its overhead
_RE2_ONLY = re.compile(r"\\[pPzQCE]")
_MAX_TIMESTAMP = float(1 << 63)


def _start(item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


class Semantics(OperatorRules, DurationRules):
    """Lark callbacks; ``major`` is the targeted Prometheus major version (2 knows holt_winters)."""

    def __init__(self, major: int = 3):
        self.errors: list[tuple[str, int]] = []
        self.features: list[tuple[str, int, str]] = []
        self.selectors: list[dict] = []
        self.functions = {**FUNCTIONS, **PROMETHEUS_2_FUNCTIONS} if major < 3 else FUNCTIONS
        if major < 3:
            self.functions = {k: v for k, v in self.functions.items() if k != "double_exponential_smoothing"}

    def reset(self, major: int) -> None:
        self.__init__(major)

    def fail(self, message: str, at) -> None:
        self.errors.append((message, at if isinstance(at, int) else _start(at)))

    def need(self, flag: str, at: int, what: str) -> None:
        self.features.append((flag, at, what))

    # ---- operands ------------------------------------------------------------------------------------
    def start(self, children):
        node = children[0]
        node.text = flatten(node.text)
        return node

    def number(self, children):
        token = children[0]
        value = self.number_of(token)
        return Node(SCALAR, "number", token.start_pos, repr(value))

    def number_of(self, token: Token) -> float:
        text = str(token)
        if token.type == "DURATION":
            try:
                return duration_ms(text) / 1000
            except OverflowError:  # more milliseconds than a float holds: out of range, as Prometheus says
                return math.inf
        if text.lower() in ("inf", "nan"):
            return float(text.lower())
        value = number_value(text)
        if math.isinf(value):
            self.fail(f"number out of range: {text[:20]}{'...' if len(text) > 20 else ''}", token)
        return value

    def string(self, children):
        return Node(STRING, "string", children[0].start_pos, json.dumps(str(children[0])))

    def paren(self, children):
        inner = children[1]
        return Node(inner.type, "paren", children[0].start_pos, ("(", inner.text, ")"))

    def metric_name(self, children):
        return children[0]

    def matcher(self, children):
        name, op, value = children
        return (str(name), str(op), str(value), _start(name))

    def name_matcher(self, children):
        return ("__name__", "=", str(children[0]), _start(children[0]))

    def matchers(self, children):
        return [c for c in children if isinstance(c, tuple)], children[0].start_pos, children[-1].end_pos

    def selector(self, children):
        name_token = children[0] if isinstance(children[0], Token) else None
        matchers, braces_at, end = children[-1] if isinstance(children[-1], tuple) else ([], 0, 0)
        start = name_token.start_pos if name_token is not None else braces_at
        if name_token is not None and not matchers:
            end = name_token.end_pos
        names = [m for m in matchers if m[0] == "__name__" and m[1] == "="]
        if name_token is not None and names:
            self.fail(f"metric name must not be set twice: {str(name_token)!r} or {names[0][2]!r}", start)
        for label, op, value, at in matchers:
            if op in ("=~", "!~"):
                self.check_regex(value, at)
        empty = name_token is None and not any(not self.matches_empty(m) for m in matchers)
        if empty:  # info()'s second argument is the exception: it is a set of label matchers
            self.fail("vector selector must contain at least one non-empty matcher", start)
        name = str(name_token) if name_token is not None else (names[0][2] if names else "")
        shown = sorted(f"{label}{op}{_json_string(value)}" for label, op, value, _ in matchers)
        node = Node(VECTOR, "selector", start, f"{name}{{{','.join(shown)}}}")
        node.name = name
        node.pending = len(self.errors) - 1 if empty else None
        node.selector = {"name": name, "matchers": [(label, op, value) for label, op, value, _ in matchers],
                         "start": start, "end": end, "named": name_token is not None}
        self.selectors.append(node.selector)
        return node

    def check_regex(self, value: str, at: int) -> None:
        try:
            re.compile(value)
        except re.error as err:
            if not _RE2_ONLY.search(value) and "global flags" not in str(err):  # RE2 knows some syntax Python does not: give it the benefit
                self.fail(f"invalid regular expression {value!r}: {err}", at)
        except (RecursionError, OverflowError):  # pragma: no cover - absurd patterns
            pass

    @staticmethod
    def matches_empty(matcher) -> bool:
        _, op, value, _ = matcher
        if op in ("=", "!="):
            return (value == "") == (op == "=")
        try:
            full = re.fullmatch(value, "") is not None
        except (re.error, RecursionError, OverflowError):
            return False
        return full == (op == "=~")

    def call(self, children):
        name_token = children[0]
        name = str(name_token)
        args = children[2] if isinstance(children[2], list) else []
        function = self.functions.get(name)
        text = (name, "(", *joined(a.text for a in args), ")")
        if function is None:
            hint = (" (it was renamed double_exponential_smoothing in Prometheus 3)" if name == "holt_winters" else "")
            self.fail(f"unknown function with name {name!r}{hint}", name_token)
            return Node(VECTOR, "call", name_token.start_pos, text)
        if function.flag:
            self.need(function.flag, name_token.start_pos, f"function {name}()")
        if name in ("step", "range"):
            self.need(DURATION_EXPR, name_token.start_pos, f"{name}()")
        self.check_args(name, function, args, name_token.start_pos)
        if name == "info" and len(args) > 1:
            second = args[1]
            if second.pending is not None:
                self.errors[second.pending] = None
            if second.kind != "selector":
                self.fail("expected label selectors only", second.start)
            elif second.selector["named"]:
                self.fail("expected label selectors only, got vector selector instead", second.start)
        return Node(function.result, "call", name_token.start_pos, text)

    def check_args(self, name: str, function, args: list, start: int) -> None:
        wanted, given = len(function.args), len(args)
        if function.variadic == 0 and wanted != given:
            self.fail(f"expected {wanted} argument(s) in call to {name!r}, got {given}", start)
            return
        if function.variadic and given < wanted - 1:
            self.fail(f"expected at least {wanted - 1} argument(s) in call to {name!r}, got {given}", start)
            return
        if function.variadic > 0 and given > wanted - 1 + function.variadic:
            self.fail(f"expected at most {wanted - 1 + function.variadic} argument(s) in call to {name!r}, "
                      f"got {given}", start)
            return
        for index, arg in enumerate(args):
            if index >= wanted and function.variadic != -1:
                break
            self.expect(arg, function.args[min(index, wanted - 1)], f"call to function {name!r}")

    def expect(self, node: Node, wanted: str, where: str) -> None:
        if node.type != wanted:
            self.fail(f"expected type {wanted} in {where}, got {node.type}", node.start)

    def args(self, children):
        exprs = [c for c in children if isinstance(c, Node)]
        if isinstance(children[-1], Token) and children[-1].type == "COMMA":
            self.fail("trailing commas not allowed in function call args", children[-1])
        return exprs

    def label(self, children):
        return str(children[0])

    def labels(self, children):
        return sorted(c for c in children if isinstance(c, str) and not isinstance(c, Token))

    def labels_clause(self, children):
        return (str(children[0]).lower(), children[1], children[0].start_pos)

    def aggregate(self, children):
        op_token = children[0]
        op = str(op_token)
        clauses = [c for c in children if isinstance(c, tuple)]
        if len(clauses) > 1:
            self.fail(f"unexpected <{clauses[1][0]}>: {op} takes one by or without clause", clauses[1][2])
        args = next((c for c in children if isinstance(c, list)), [])
        if EXPERIMENTAL_AGGREGATIONS.get(op):
            self.need(EXPERIMENTAL_AGGREGATIONS[op], op_token.start_pos, f"aggregation {op}")
        param_type = AGGREGATION_PARAMS.get(op)
        if not args:
            self.fail("no arguments for aggregate expression provided", op_token)
        elif len(args) != (2 if param_type else 1):
            self.fail(f"wrong number of arguments for aggregate expression provided, expected "
                      f"{2 if param_type else 1}, got {len(args)}", op_token)
        else:
            self.expect(args[-1], VECTOR, "aggregation expression")
            if param_type:
                self.expect(args[0], param_type, "aggregation parameter")
        grouping = ""
        if clauses:
            word, labels, _ = clauses[0]
            grouping = f" {word} ({', '.join(labels)})"
        text = (op, grouping, " (", *joined(a.text for a in args), ")")
        return Node(VECTOR, "aggregate", op_token.start_pos, text)

    # ---- operators -----------------------------------------------------------------------------------
    def signed_number(self, children):
        value = self.number_of(children[-1])
        return (-value if str(children[0]) == "-" else value), _start(children[0])

    def range(self, children):
        inner, bracket, duration = children[0], children[1], children[2]
        if inner.kind != "selector":
            self.fail("ranges only allowed for vector selectors", bracket)
        elif inner.offset:
            self.fail("no offset modifiers allowed before range", bracket)
        elif inner.at:
            self.fail("no @ modifiers allowed before range", bracket)
        self.check_range(duration)
        node = Node(MATRIX, "matrix", inner.start, (inner.text, "[", duration.text, "]"))
        node.selector = inner.selector
        return node

    def subquery(self, children):
        inner, duration = children[0], children[2]
        step = children[4] if isinstance(children[4], Duration) else None
        if inner.type != VECTOR:
            self.fail(f"subquery is only allowed on instant vector, got {inner.type.split()[0]} instead"
                      if inner.type == MATRIX else f"subquery is only allowed on instant vector, got {inner.type}"
                      " instead", inner)
        self.check_range(duration)
        if step is not None:
            self.check_duration(step, allow_zero=True)
        text = (inner.text, "[", duration.text, ":", step.text if step else "", "]")
        return Node(MATRIX, "subquery", inner.start, text)

    def check_range(self, duration: Duration) -> None:
        if not duration.plain:
            self.need(DURATION_EXPR, duration.start, "a duration expression in [...]")
        self.check_duration(duration)

    def check_duration(self, duration: Duration, *, allow_zero: bool = False, signed: bool = False) -> None:
        value = duration.value
        if value is None or isinstance(value, str):
            return
        if math.isnan(value) or math.isinf(value) or abs(value) * 1000 > MAX_DURATION_MS:
            self.fail("duration out of range", duration.start)
        elif duration.plain and not signed and (value < 0 or (value == 0 and not allow_zero)):
            self.fail("duration must be greater than 0", duration.start)

    def modifiable(self, inner: Node, what: str) -> bool:
        if inner.kind not in ("selector", "matrix", "subquery"):
            self.fail(f"{what} modifier must be preceded by an instant vector selector or range vector selector "
                      "or a subquery", inner)
            return False
        return True

    def offset(self, children):
        inner, keyword, duration = children
        if self.modifiable(inner, "offset"):
            if inner.offset:
                self.fail("offset may not be set multiple times", inner)
        if not duration.plain:
            self.need(DURATION_EXPR, duration.start, "a duration expression after offset")
        self.check_duration(duration, allow_zero=True, signed=True)
        return self.modified(inner, (inner.text, " offset ", duration.text), offset=True)

    def at(self, children):
        inner, keyword, value = children
        if self.modifiable(inner, "@") and inner.at:
            self.fail("@ may not be set multiple times", inner)
        return self.modified(inner, (inner.text, f" @ {value}"), at=True)

    def at_value(self, children):
        if isinstance(children[0], tuple):
            value, start = children[0]
            if math.isinf(value) or math.isnan(value) or abs(value) >= _MAX_TIMESTAMP:
                self.fail(f"timestamp out of bounds for @ modifier: {value}", start)
            return repr(value)
        return f"{str(children[0]).lower()}()"

    def extended(self, children):
        inner, keyword = children
        self.need(EXTENDED_RANGE, keyword.start_pos, f"{str(keyword).lower()} modifier")
        if inner.kind not in ("selector", "matrix"):
            self.fail(f"{str(keyword).lower()} modifier must be preceded by a vector selector or range vector "
                      "selector", keyword)
        return self.modified(inner, (inner.text, f" {str(keyword).lower()}"))

    @staticmethod
    def modified(inner: Node, text: str, *, offset: bool = False, at: bool = False) -> Node:
        node = Node(inner.type, inner.kind, inner.start, text)
        node.offset, node.at = inner.offset or offset, inner.at or at
        node.selector, node.name = inner.selector, inner.name
        return node
