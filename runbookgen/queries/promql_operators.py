"""PromQL's binary and unary operators: precedence, vector matching and the checks Prometheus makes on them
(promql/parser: binary_expr, checkAST). Mixed into ``promql_semantics.Semantics``."""

from __future__ import annotations


from runbookgen.queries.promql_functions import SCALAR, VECTOR
from runbookgen.queries.promql_lexer import Token
from runbookgen.queries.promql_nodes import Node

FILL_MODIFIERS = "promql-binop-fill-modifiers"
_COMPARISONS = {"EQLC", "NEQ", "GTR", "LSS", "GTE", "LTE"}
_SET_OPS = {"LAND", "LOR", "LUNLESS"}
_PRECEDENCE = {"LOR": 1, "LAND": 2, "LUNLESS": 2, "EQLC": 3, "NEQ": 3, "GTR": 3, "LSS": 3, "GTE": 3, "LTE": 3,
               "TRIM_UPPER": 3, "TRIM_LOWER": 3, "ADD": 4, "SUB": 4, "MUL": 5, "DIV": 5, "MOD": 5, "ATAN2": 5,
               "POW": 7}
_UNARY, _POW = 6, 7


class OperatorRules:
    """Lark callbacks for operator chains, modifiers and unary signs."""

    def binary_op(self, children):
        return children[0]

    def operand(self, children):
        node = children[-1]
        for sign in reversed(children[:-1]):  # signs bind below ^ only; chain() orders them around it
            node = ("unary", sign, node)
        return node

    def chain(self, children):
        """The tree of a flat chain ``operand (op modifiers operand)*``, built with explicit stacks."""
        if len(children) == 1 and not isinstance(children[0], tuple):
            return children[0]  # one operand without a sign: most function arguments
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
        if operand.kind == "number" and isinstance(operand.text, str) and str(op) == "-":
            return Node(SCALAR, "number", op.start_pos, repr(-float(operand.text)))  # Prometheus folds the sign
        if operand.kind == "number" and isinstance(operand.text, str):
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
