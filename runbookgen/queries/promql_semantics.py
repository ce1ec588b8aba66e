"""What Prometheus checks while and after parsing a PromQL query (promql/parser: parse.go, checkAST).

``Semantics`` holds the callbacks lark calls as each rule of ``promql.lark`` is reduced. Each returns a
``Node`` (its type, where it is, a canonical spelling for comparing queries); the first rule Prometheus
would refuse the query for is kept in ``errors`` with its offset, the feature flags the query needs in
``features``, and every vector selector in ``selectors``. Nothing here recurses, so depth costs nothing.
"""

from __future__ import annotations

import json
import math
import re

from lark import Token

from runbookgen.queries.promql_functions import (AGGREGATION_PARAMS, EXPERIMENTAL_AGGREGATIONS, FUNCTIONS,
                                                 MATRIX, PROMETHEUS_2_FUNCTIONS, SCALAR, STRING, VECTOR)
from runbookgen.queries.promql_durations import DURATION_EXPR, Duration, DurationRules, flatten, joined
from runbookgen.queries.promql_lexer import MAX_DURATION_MS, duration_ms, number_value

EXTENDED_RANGE = "promql-extended-range-selectors"
FILL_MODIFIERS = "promql-binop-fill-modifiers"
_COMPARISONS = {"EQLC", "NEQ", "GTR", "LSS", "GTE", "LTE"}
_PRECEDENCE = {"LOR": 1, "LAND": 2, "LUNLESS": 2, "EQLC": 3, "NEQ": 3, "GTR": 3, "LSS": 3, "GTE": 3, "LTE": 3,
               "TRIM_UPPER": 3, "TRIM_LOWER": 3, "ADD": 4, "SUB": 4, "MUL": 5, "DIV": 5, "MOD": 5, "ATAN2": 5,
               "POW": 7}
_UNARY, _POW = 6, 7
_SET_OPS = {"LAND", "LOR", "LUNLESS"}
_RE2_ONLY = re.compile(r"\\[pPzQCE]")
_MAX_TIMESTAMP = float(1 << 63)


class Node:
    __slots__ = ("type", "kind", "start", "text", "offset", "at", "selector", "name", "pending")

    def __init__(self, type_: str, kind: str, start: int, text: str):
        self.type, self.kind, self.start, self.text = type_, kind, start, text
        self.offset = self.at = False
        self.selector = None  # the VectorSelector a selector or range node stands for
        self.name = ""
        self.pending = None  # index in errors of an error that only holds outside info()


def _start(item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


class Semantics(DurationRules):
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
            return duration_ms(text) / 1000
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
        shown = sorted(f"{label}{op}{json.dumps(value)}" for label, op, value, _ in matchers)
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
    def binary_op(self, children):
        return children[0]

    def operand(self, children):
        node = children[-1]
        for sign in reversed(children[:-1]):  # signs bind below ^ only; chain() orders them around it
            node = ("unary", sign, node)
        return node

    def chain(self, children):
        """The tree of a flat chain ``operand (op modifiers operand)*``, built with explicit stacks."""
        operands, operators = [], []  # operators: (precedence, token, modifiers)

        def reduce_top():
            _, token, mod = operators.pop()
            right = operands.pop()
            if mod is None:
                operands.append(self.unary([token, right]))
            else:
                operands.append(self.binary([operands.pop(), token, mod, right]))

        def push_operand(item):
            while isinstance(item, tuple):  # ("unary", sign, inner): the sign waits on the stack
                operators.append((_UNARY, item[1], None))
                item = item[2]
            operands.append(item)

        push_operand(children[0])
        for index in range(1, len(children), 3):
            token, mod = children[index], children[index + 1]
            level = _PRECEDENCE[token.type]
            while operators and (operators[-1][0] > level or (operators[-1][0] == level and level != _POW)):
                reduce_top()
            operators.append((level, token, mod))
            push_operand(children[index + 2])
        while operators:
            reduce_top()
        return operands[0]

    def signed_number(self, children):
        value = self.number_of(children[-1])
        return (-value if str(children[0]) == "-" else value), _start(children[0])

    def fill_mod(self, children):
        self.need(FILL_MODIFIERS, children[0].start_pos, f"{str(children[0]).lower()}()")
        return ("fill", str(children[0]).lower(), children[2][0])

    def matching(self, children):
        on = children[0].type == "ON"
        matching_labels = children[1]
        card, include = "", []
        if len(children) > 2:
            card = children[2].type
            include = children[3] if len(children) > 3 else []
        return ("match", on, matching_labels, card, include, children[0].start_pos)

    def bin_mod(self, children):
        mod = {"bool": False, "match": None, "fills": []}
        for child in children:
            if isinstance(child, Token):
                mod["bool"] = True
                mod["bool_at"] = child.start_pos
            elif child[0] == "match":
                mod["match"] = child
            else:
                mod["fills"].append(child)
        return mod

    def unary(self, children):
        op, operand = children
        if operand.type not in (SCALAR, VECTOR):
            self.fail(f"unary expression only allowed on expressions of type scalar or instant vector, got "
                      f"{operand.type!r}", op)
        if operand.kind == "number" and str(op) == "-":
            return Node(SCALAR, "number", op.start_pos, repr(-float(operand.text)))  # Prometheus folds the sign
        if operand.kind == "number":
            return Node(SCALAR, "number", op.start_pos, operand.text)
        return Node(operand.type, "unary", op.start_pos, (str(op), operand.text))

    def binary(self, children):
        left, op, mod, right = children
        kind = op.type
        lt, rt = left.type, right.type
        match = mod["match"]
        if mod["bool"] and kind not in _COMPARISONS:
            self.fail("bool modifier can only be used on comparison operators", op)
        elif kind in _COMPARISONS and not mod["bool"] and lt == SCALAR and rt == SCALAR:
            self.fail("comparisons between scalars must use BOOL modifier", op)
        if match and match[3] and match[1]:
            both = set(match[2]) & set(match[4])
            if both:
                self.fail(f"label {sorted(both)[0]!r} must not occur in ON and GROUP clause at once", match[5])
        for side in (lt, rt):
            if side not in (SCALAR, VECTOR):
                self.fail("binary expression must contain only scalar and instant vector types", left)
                break
        if (lt != VECTOR or rt != VECTOR) and match and match[2]:
            self.fail("vector matching only allowed between instant vectors", left)
        elif kind in _SET_OPS and match and match[3]:
            self.fail(f"no grouping allowed for {str(op).lower()!r} operation", left)
        if (lt == SCALAR or rt == SCALAR) and kind in _SET_OPS:
            self.fail(f"set operator {str(op).lower()!r} not allowed in binary scalar expression", left)
        result = SCALAR if lt == SCALAR and rt == SCALAR else VECTOR
        words = [str(op).lower()] + (["bool"] if mod["bool"] else [])
        if match:
            words.append(f"{'on' if match[1] else 'ignoring'} ({', '.join(match[2])})")
            if match[3]:
                words.append(f"{match[3].lower()} ({', '.join(match[4])})")
        words += [f"{f[1]}({f[2]!r})" for f in mod["fills"]]
        return Node(result, "binary", left.start, (left.text, f" {' '.join(words)} ", right.text))

    # ---- postfix modifiers ---------------------------------------------------------------------------
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
