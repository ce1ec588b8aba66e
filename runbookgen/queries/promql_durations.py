"""Duration expressions in PromQL: inside ``[...]`` and after ``offset`` (promql/parser: duration_expr).

More than one literal (arithmetic, parentheses, ``step()``, ``range()``) needs Prometheus's
``promql-duration-expr`` flag; ``min_of``/``max_of`` are experimental functions. Values are worked out
where they can be (in seconds) to report what Prometheus reports while parsing: division or modulo by
zero, and durations out of range.
"""

from __future__ import annotations

import math

from runbookgen.queries.promql_functions import DURATION_FUNCTIONS, EXPERIMENTAL_FUNCTIONS
from runbookgen.queries.promql_nodes import Duration, joined

DURATION_EXPR = "promql-duration-expr"


class DurationRules:
    """The lark callbacks for the duration rules of ``promql.lark`` (mixed into ``Semantics``)."""

    # ---- durations -----------------------------------------------------------------------------------
    def dur_number(self, children):
        token = children[0]
        value = self.number_of(token)
        return Duration(value, token.start_pos, str(token), True)

    def dur_paren(self, children):
        inner = children[1]
        return Duration(inner.value, children[0].start_pos, ("(", inner.text, ")"), False)

    def dur_unary(self, children):
        op, inner = children
        value = inner.value
        if value is not None and str(op) == "-":
            value = -value
        return Duration(value, op.start_pos, (str(op), inner.text), inner.plain and isinstance(inner.value, float))

    def dur_call(self, children):
        name_token = children[0]
        name = str(name_token).lower()
        args = [c for c in children if isinstance(c, Duration)]
        text = (name, "(", *joined(a.text for a in args), ")")
        if name not in DURATION_FUNCTIONS:
            self.fail(f"unexpected function {name!r} in a duration; expected step(), range(), min_of() or "
                      "max_of()", name_token)
            return Duration(None, name_token.start_pos, text, False)
        if name in ("min_of", "max_of"):  # step() and range() are keywords of duration expressions
            self.need(EXPERIMENTAL_FUNCTIONS, name_token.start_pos, f"function {name}()")
        wanted = 0 if name in ("step", "range") else 2
        if (wanted == 0 and args) or (wanted and len(args) < 2):
            self.fail(f"wrong number of arguments in call to {name!r}", name_token)
        value = None
        if name in ("min_of", "max_of") and args and all(a.value is not None for a in args):
            value = (min if name == "min_of" else max)(a.value for a in args)
        plain = name in ("min_of", "max_of") and all(a.plain for a in args)
        if name in ("step", "range"):
            self.need(DURATION_EXPR, name_token.start_pos, f"{name}()")
        return Duration(value, name_token.start_pos, text, plain)

    def dur_binary(self, children):
        left, op, right = children
        a, b = left.value, right.value
        value = None
        symbol = str(op)
        if symbol in ("/", "%") and b == 0:
            self.fail("division by zero" if symbol == "/" else "modulo by zero", op)
        elif a is not None and b is not None:
            try:
                value = {"+": a + b, "-": a - b, "*": a * b}.get(symbol)
                if symbol == "/":
                    value = a / b
                elif symbol == "%":
                    value = math.fmod(a, b)
                elif symbol == "^":
                    value = float(a) ** b
            except (OverflowError, ZeroDivisionError, ValueError):
                value = math.inf
        if isinstance(value, complex):
            value = math.nan
        return Duration(value, left.start, (left.text, f" {symbol} ", right.text), False)
