"""What Loki checks after parsing a LogQL query (pkg/logql/syntax: ast.go, parser.go).

``query_kind(node)`` walks a parse tree from ``logql.lark`` and returns "log", "metric" or
"literal", raising ``LogQLFail`` at the first rule Loki would refuse the query for.
"""

from __future__ import annotations

import re

from lark import Token, Tree

from runbookgen.queries.logql_lexer import LABEL_NAME, LogQLFail

_SET_OPS = ("AND", "OR", "UNLESS")
_GROUPING_ALLOWED = {"avg_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time",
                     "max_over_time", "min_over_time", "first_over_time", "last_over_time"}
_WITH_UNWRAP = {"avg_over_time", "sum_over_time", "max_over_time", "min_over_time", "stddev_over_time",
                "stdvar_over_time", "quantile_over_time", "rate", "rate_counter", "absent_over_time",
                "first_over_time", "last_over_time"}
_WITHOUT_UNWRAP = {"bytes_over_time", "bytes_rate", "count_over_time", "rate", "absent_over_time"}


def _first_token(node) -> Token:
    return node if isinstance(node, Token) else next(node.scan_values(lambda v: isinstance(v, Token)))


def _fail(node, message: str) -> LogQLFail:
    token = _first_token(node)
    return LogQLFail(message, token.line or 1, token.column or 1)


def _token(node, kind: str) -> Token | None:
    return next((c for c in node.children if isinstance(c, Token) and c.type == kind), None)


def _subtrees(node, name: str) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data == name]


def query_kind(node) -> str:
    """'log', 'metric' or 'literal' for an expression node; raises LogQLFail where Loki would refuse it."""
    name = node.data
    if name == "paren":
        return query_kind(node.children[1])
    if name == "literal":
        return "literal"
    if name == "vector":
        return "metric"
    if name == "log_expr":
        if _log_query(node):
            raise _fail(node, "| unwrap belongs inside a range function such as "
                              "sum_over_time({...} | unwrap bytes [5m])")
        return "log"
    if name == "binop":
        return _binop(node)
    if name == "label_replace":
        if query_kind(node.children[2]) == "log":
            raise _fail(node, "label_replace needs a metric query, not a log query")
        if not LABEL_NAME.fullmatch(str(node.children[4])):
            raise _fail(node.children[4], f"label_replace: {str(node.children[4])!r} is not a valid label name")
        check_regex(node.children[10], "label_replace")
        return "metric"
    if name == "vector_aggregation":
        return _vector_aggregation(node)
    if name == "range_aggregation":
        return _range_aggregation(node)
    raise _fail(node, f"unexpected {name}")  # pragma: no cover - the grammar has no other expression


def _binop(node) -> str:
    left, op, right = node.children[0], node.children[1], node.children[-1]
    op = op if isinstance(op, Token) else op.children[0]
    kinds = (query_kind(left), query_kind(right))
    if "log" in kinds:
        side = "left" if kinds[0] == "log" else "right"
        raise _fail(node, f"the {side} side of '{op}' is a log query; binary operators need metric queries "
                          "such as count_over_time({...}[5m])")
    if op.type in _SET_OPS and "literal" in kinds:
        raise _fail(op, f"'{op}' needs metric queries on both sides, not a number")
    if kinds == ("literal", "literal"):  # Loki folds these, comparisons with or without bool alike
        return "literal"
    return "metric"


def _vector_aggregation(node) -> str:
    op = str(node.children[0])
    groupings = _subtrees(node, "grouping")
    if len(groupings) > 1:
        raise _fail(node, f"{op} takes one by or without clause, not two")
    param = _token(node, "NUMBER")
    inner = next(c for c in node.children[1:] if isinstance(c, Tree) and c.data != "grouping")
    if query_kind(inner) == "log":
        raise _fail(inner, f"{op} aggregates metric queries; wrap the log query in a range function such as "
                           "count_over_time({...}[5m])")
    if op in ("topk", "bottomk", "approx_topk"):
        if param is None:
            raise _fail(node, f"{op} needs a parameter: {op}(k, ...)")
        if not str(param).isdigit() or int(str(param)) <= 0:
            raise _fail(param, f"{op}'s parameter must be a whole number greater than 0, not {param}")
    elif param is not None:
        raise _fail(param, f"{op} takes no parameter")
    labelled = [g for g in groupings if _subtrees(g, "labels")]
    if op in ("sort", "sort_desc") and labelled:
        raise _fail(groupings[0], f"{op} does not allow grouping")
    if op == "approx_topk" and groupings:
        raise _fail(groupings[0], "approx_topk does not allow grouping; group in an inner sum by (...)")
    return "metric"


def _range_aggregation(node) -> str:
    op = str(node.children[0])
    param = _token(node, "NUMBER")
    if op == "quantile_over_time" and param is None:
        raise _fail(node, "quantile_over_time needs a parameter: quantile_over_time(0.99, ...)")
    if op != "quantile_over_time" and param is not None:
        raise _fail(param, f"{op} takes no parameter")
    ranges = [c for c in node.children if isinstance(c, Tree) and c.data in ("log_range", "paren_range")]
    unwrapped = _log_range(ranges[0])
    if _subtrees(node, "grouping") and op not in _GROUPING_ALLOWED:
        raise _fail(_subtrees(node, "grouping")[0], f"{op} does not allow grouping")
    if unwrapped and op not in _WITH_UNWRAP:
        raise _fail(node, f"{op} counts log lines and cannot be used with | unwrap")
    if not unwrapped and op not in _WITHOUT_UNWRAP:
        raise _fail(node, f"{op} needs a sample value: add | unwrap <label> before the range")
    return "metric"


def _log_range(node) -> bool:
    """Check a log range; True when it unwraps a label into sample values."""
    if node.data == "paren_range":
        return _log_range(node.children[1])
    return _log_query(node)


def _log_query(node) -> bool:
    """Check a selector and its pipeline; True when the pipeline unwraps a label into sample values."""
    selector = _subtrees(node, "selector")[0]
    matchers = [m for ms in _subtrees(selector, "matchers") for m in _subtrees(ms, "matcher")]
    if not any(not _matches_empty(m) for m in matchers):
        raise _fail(selector, "a stream selector needs at least one matcher that cannot match an empty value "
                              "(app=~\".*\" does not select anything specific; app=~\".+\" does)")
    stages = [c for p in _subtrees(node, "pipeline") for c in p.children]
    unwraps = [n for n, stage in enumerate(stages) if stage.data == "unwrap"]
    if unwraps and any(s.data != "label_filter_stage" for s in stages[unwraps[0] + 1:]):
        later = next(s for s in stages[unwraps[0] + 1:] if s.data != "label_filter_stage")
        raise _fail(later, "only label filters may follow | unwrap")
    for stage in node.iter_subtrees():
        if stage.data == "pattern_parser":
            _check_pattern(stage.children[1])
        elif stage.data == "regexp_parser" and not re.search(r"\(\?P?<\w+>", str(stage.children[1])):
            raise _fail(stage.children[1], "the regexp stage needs at least one named capture, (?P<name>...)")
    return bool(unwraps)


def check_regex(token: Token, where: str) -> None:
    """Loki compiles regular expressions while parsing (Go's RE2); Python's re stands in for it, except
    where RE2 knows syntax Python does not."""
    try:
        re.compile(str(token))
    except re.error as err:
        if not re.search(r"\\[pPzQCE]", str(token)) and "global flags" not in str(err):
            raise _fail(token, f"invalid regex in {where}: {err}") from None
    except (RecursionError, OverflowError):  # pragma: no cover - absurd patterns
        pass


def _matches_empty(matcher) -> bool:
    _, op, value = matcher.children
    value = str(value)
    if op.type in ("EQ", "NEQ"):
        return (value == "") == (op.type == "EQ")
    try:
        full = re.fullmatch(value, "") is not None
    except re.error:  # RE2 syntax Python does not know: assume it selects something
        return False
    return full == (op.type == "RE")


def _check_pattern(token: Token) -> None:
    captures = list(re.finditer(r"<(\w+)>", str(token)))
    if not any(c.group(1) != "_" for c in captures):
        raise _fail(token, "the pattern stage needs at least one named capture such as <status>")
    for before, after in zip(captures, captures[1:]):
        if before.end() == after.start():
            raise _fail(token, f"pattern captures {before.group(0)} and {after.group(0)} need a literal between them")
