"""LogQL validation: a lexer that mirrors Loki's, the grammar in ``logql.lark``, and Loki's semantic rules.

``logql_error(expr)`` returns None for a valid query or a ``LogQLError`` with a
message and the 1-based line and column inside the query. ``logql_kind(expr)``
says whether a valid query is a log query (``{app="x"} |= "err"``) or a metric
query (``rate({app="x"}[5m])``); Loki's ruler accepts only metric queries.

What is checked, as Loki's parser does: the syntax; Go string literals and their
escapes; durations, byte sizes and ``[ranges]``; every selector needs a matcher
that cannot match the empty string; operands of binary operators and aggregations
are metric queries; ``topk``/``bottomk`` parameters; which range functions need or
refuse ``| unwrap`` and grouping; ``sort`` without grouping; ``pattern`` and
``regexp`` stages that name at least one capture; the regular expression of ``label_replace``; Loki's
limit of 131,072 bytes. Other regular expressions are not compiled (Loki uses RE2, Python's ``re`` differs).

A query is measured before it is parsed: its length, how deep it nests, and how many binary operators
it chains (``query_bounds``). The checks after parsing walk the tree recursively, and these bounds keep
that walk far from Python's recursion limit, whatever the query.
"""


import functools

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from runbookgen.problems import line_col
from runbookgen.queries.grammars import ScannerLexer, load_grammar
from runbookgen.queries.logql_lexer import MAX_QUERY_LENGTH, OPERATORS, LogQLError, LogQLFail, Scanner
from runbookgen.queries.logql_semantics import query_kind
from runbookgen.queries.query_bounds import MAX_DEPTH, bounds_problem

__all__ = ["LogQLError", "logql_error", "logql_kind", "logql_tokens", "parse_logql"]


class _LogQLLexer(ScannerLexer):
    scanner = Scanner


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return load_grammar("logql", _LogQLLexer)


_BINARY = {"OR", "AND", "UNLESS", "ADD", "SUB", "MUL", "DIV", "MOD", "POW", "CMP_EQ", "NEQ", "GT", "GTE", "LT",
           "LTE"}


def _bounds_error(expr: str) -> LogQLError | None:
    """Too long, too deep, or too many chained operators to check (see the module's docstring)."""
    size = len(expr.encode("utf-8", "surrogatepass"))
    if size >= MAX_QUERY_LENGTH:
        return LogQLError(f"the query is {size:,} bytes long; Loki accepts at most {MAX_QUERY_LENGTH - 1:,}")
    problem = bounds_problem(expr, MAX_QUERY_LENGTH, "Loki")
    if problem is not None:
        return LogQLError(problem[0], *line_col(expr, problem[1]))
    depth = deepest = operators = 0  # the tree is at most as deep as the nesting plus the operators
    try:
        for token in Scanner(expr).tokens():
            if token.type == "OPEN_PAREN":
                depth += 1
                deepest = max(deepest, depth)
            elif token.type == "CLOSE_PAREN":
                depth -= 1
            elif token.type in _BINARY:
                operators += 1
                if operators + deepest > MAX_DEPTH:
                    return LogQLError(f"the query nests and chains operators more than {MAX_DEPTH} levels deep; "
                                      "it is not checked further", token.line, token.column)
    except LogQLFail:
        return None  # the parser reports it, with its position
    return None


_SHOWN = {"STRING": "a string", "IDENTIFIER": "a label name", "NUMBER": "a number", "DURATION": "a duration",
          "BYTES": "a byte size", "RANGE": "a [range]", "$END": "the end of the query", "FLAG": "a --flag",
          "RANGE_OP": "a range function", "VECTOR_OP": "an aggregation", "CONV_OP": "a conversion function"}


def _shown(kind: str, value: str = "", *, article: bool = True) -> str:
    if kind in _SHOWN:
        text = _SHOWN[kind] if article else _SHOWN[kind].split(" ", 1)[1]
        return text + (f" {value!r}" if value and kind in ("IDENTIFIER", "NUMBER", "RANGE_OP", "VECTOR_OP") else "")
    symbol = next((s for s, k in OPERATORS.items() if k == kind), None)
    return repr(symbol) if symbol else repr(value or kind.lower())


def _end_of(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _syntax_error(err: UnexpectedInput, text: str) -> LogQLError:
    if isinstance(err, UnexpectedToken):
        token = err.token
        got = _shown(token.type, str(token), article=False)
        expected = sorted({_shown(t) for t in err.expected if t.isupper()})
        hint = f"; expected {', '.join(expected[:8])}{', ...' if len(expected) > 8 else ''}" if expected else ""
        line, col = (token.line, token.column) if token.type != "$END" else _end_of(text)
        return LogQLError(f"syntax error: unexpected {got}{hint}", max(line or 1, 1), max(col or 1, 1))
    if isinstance(err, UnexpectedCharacters):
        return LogQLError("syntax error: unexpected character", err.line, err.column)
    return LogQLError(f"syntax error: {err}", getattr(err, "line", 1) or 1, getattr(err, "column", 1) or 1)


def parse_logql(expr: str) -> tuple[Tree | None, LogQLError | None]:
    """The parse tree of ``expr`` and None, or None and the first error found."""
    if not expr or not expr.strip():
        return None, LogQLError("the query is empty")
    too_big = _bounds_error(expr)
    if too_big is not None:
        return None, too_big
    try:
        tree = _parser().parse(expr)
    except LogQLFail as err:
        return None, err.error
    except UnexpectedInput as err:
        if isinstance(err.__context__, LogQLFail):
            return None, err.__context__.error
        return None, _syntax_error(err, expr)
    try:
        query_kind(tree.children[0])
    except LogQLFail as err:
        return None, err.error
    return tree, None


@functools.lru_cache(maxsize=None)
def _verdict(expr: str) -> tuple[str, LogQLError | None]:
    tree, error = parse_logql(expr)
    if error:
        return "", error
    return query_kind(tree.children[0]), None


LOKI_2_MAX_LENGTH = 5120  # Loki before 3.0


def logql_error(expr: str, *, metric: bool = False, loki_version: int = 3) -> LogQLError | None:
    """Why ``expr`` is not valid LogQL (a metric query when ``metric``) for Loki ``loki_version``, or None.

    The grammar follows Loki's main branch; Loki 2 differs in what lint can tell apart only by its
    query length limit."""
    if loki_version < 3:
        size = len(expr.encode("utf-8", "surrogatepass"))
        if size >= LOKI_2_MAX_LENGTH:
            return LogQLError(f"the query is {size:,} bytes long; Loki 2 accepts at most {LOKI_2_MAX_LENGTH - 1:,}")
    kind, error = _verdict(expr)
    if error is None and metric and kind == "log":
        return LogQLError("a log query cannot be a rule's expression; Loki rules need a metric query such as "
                          "sum(count_over_time({...}[5m]))")
    return error


def logql_kind(expr: str) -> str:
    """'log' or 'metric' (or 'literal'); '' when the query is not valid."""
    return _verdict(expr)[0]


def logql_tokens(expr: str) -> list[tuple[str, str]] | None:
    """The query's tokens as (type, text) pairs without spacing and comments, or None when it does not lex."""
    try:
        return [(t.type, str(t)) for t in Scanner(expr).tokens()]
    except LogQLFail:
        return None
