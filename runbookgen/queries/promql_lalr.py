"""PromQL's LALR parser: lark's tables for ``promql.lark`` run by our own loop (``lalr_driver``) over our
lexer's tokens, with the error messages, positions and expected tokens of every syntax error.

``promql.py`` calls it for what the fast path declines; it lives apart so that a run whose queries the
fast path reads, or whose verdicts were kept, never imports lark.
"""

from __future__ import annotations

import functools

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from runbookgen.queries.grammars import ScannerLexer, load_grammar
from runbookgen.queries.lalr_driver import LALRDriver
from runbookgen.queries.promql_lexer import OPERATORS, PromQLError, PromQLFail, Scanner, error_at as _error
from runbookgen.queries.promql_semantics import Semantics


class _PromQLLexer(ScannerLexer):
    scanner = Scanner


@functools.lru_cache(maxsize=2)
def _parser(semantics: Semantics) -> LALRDriver:
    return LALRDriver(load_grammar("promql", _PromQLLexer), semantics)


_DURATION_OPERATORS = ("DADD", "DSUB", "DMUL", "DDIV", "DMOD", "DPOW")
_SHOWN = {"IDENTIFIER": "identifier", "METRIC_IDENTIFIER": "metric name", "NUMBER": "number",
          "DURATION": "duration", "STRING": "string", "AGG_OP": "aggregation", "$END": "end of input"}


def _shown(kind: str, value: str = "") -> str:
    if kind in _SHOWN:
        return f"{_SHOWN[kind]} {value!r}" if value and kind in ("IDENTIFIER", "METRIC_IDENTIFIER", "NUMBER",
                                                                 "AGG_OP") else _SHOWN[kind]
    kind = kind[1:] if kind in _DURATION_OPERATORS else kind
    symbol = next((s for s, k in OPERATORS.items() if k == kind), None)
    return repr(symbol) if symbol else repr(value.lower() if value else kind.lower())


def _open_parentheses(text: str) -> int:
    depth = 0
    for token in Scanner(text).tokens():
        depth += {"LEFT_PAREN": 1, "RIGHT_PAREN": -1}.get(token.type, 0)
    return depth


def _syntax_error(err: UnexpectedInput, text: str) -> PromQLError:
    if isinstance(err, UnexpectedToken):
        token = err.token
        expected = tuple(sorted({_shown(t) for t in err.expected if t.isupper() or t == "$END"}))
        hint = f"; expected {', '.join(expected[:8])}{', ...' if len(expected) > 8 else ''}" if expected else ""
        if token.type == "$END":
            if _open_parentheses(text):
                return _error(text, "unclosed left parenthesis", len(text), expected)
            return _error(text, "unexpected end of input" + hint, len(text), expected)
        if token.type == "RIGHT_PAREN" and "RIGHT_PAREN" not in err.expected:
            return _error(text, "unexpected right parenthesis ')'" + hint, token.start_pos, expected)
        return _error(text, f"unexpected {_shown(token.type, str(token))}{hint}", token.start_pos, expected)
    if isinstance(err, UnexpectedCharacters):
        return _error(text, "unexpected character", err.pos_in_stream)
    return _error(text, f"syntax error: {err}", getattr(err, "pos_in_stream", 0) or 0)


def parse(expr: str, semantics: Semantics):
    """What the parser's callbacks (``semantics``) made of ``expr``, or the ``PromQLError`` that stopped it."""
    try:
        return _parser(semantics).parse(Scanner(expr).tokens())
    except PromQLFail as err:
        return _error(expr, err.message, err.offset)
    except UnexpectedInput as err:
        if isinstance(err.__context__, PromQLFail):
            return _error(expr, err.__context__.message, err.__context__.offset)
        return _syntax_error(err, expr)
