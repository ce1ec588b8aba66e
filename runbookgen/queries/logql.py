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
``regexp`` stages that name at least one capture; the 5120-character limit.
Regular expressions are not compiled (Loki uses RE2, Python's ``re`` differs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

MAX_QUERY_LENGTH = 5120  # Loki refuses longer queries

KEYWORDS = {
    "by": "BY", "without": "WITHOUT", "bool": "BOOL", "on": "ON", "ignoring": "IGNORING", "offset": "OFFSET",
    "group_left": "GROUP_LEFT", "group_right": "GROUP_RIGHT", "or": "OR", "and": "AND", "unless": "UNLESS",
    "json": "JSON", "logfmt": "LOGFMT", "regexp": "REGEXP", "unpack": "UNPACK", "pattern": "PATTERN",
    "line_format": "LINE_FMT", "label_format": "LABEL_FMT", "unwrap": "UNWRAP", "decolorize": "DECOLORIZE",
    "drop": "DROP", "keep": "KEEP", "variants": "VARIANTS", "of": "OF",
}
RANGE_OPS = ("rate", "rate_counter", "count_over_time", "bytes_rate", "bytes_over_time", "avg_over_time",
             "sum_over_time", "min_over_time", "max_over_time", "stdvar_over_time", "stddev_over_time",
             "quantile_over_time", "first_over_time", "last_over_time", "absent_over_time")
VECTOR_OPS = ("sum", "avg", "max", "min", "count", "stddev", "stdvar", "bottomk", "topk", "sort", "sort_desc",
              "approx_topk")
# Words that are keywords only when a "(" (or "by (" / "without (") follows; otherwise label names.
FUNCTIONS = {**{op: "RANGE_OP" for op in RANGE_OPS}, **{op: "VECTOR_OP" for op in VECTOR_OPS},
             "bytes": "CONV_OP", "duration": "CONV_OP", "duration_seconds": "CONV_OP", "vector": "VECTOR",
             "label_replace": "LABEL_REPLACE", "ip": "IP"}
OPERATORS = {
    "|=": "PIPE_EXACT", "|~": "PIPE_MATCH", "|>": "PIPE_PATTERN", "!=": "NEQ", "!~": "NRE", "!>": "NPA",
    "=~": "RE", "==": "CMP_EQ", ">=": "GTE", "<=": "LTE", ",": "COMMA", ".": "DOT", "{": "OPEN_BRACE",
    "}": "CLOSE_BRACE", "(": "OPEN_PAREN", ")": "CLOSE_PAREN", "=": "EQ", "|": "PIPE", "+": "ADD", "-": "SUB",
    "*": "MUL", "/": "DIV", "%": "MOD", "^": "POW", ">": "GT", "<": "LT",
}
FLAGS = ("--strict", "--keep-empty")

_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_IDENT = re.compile(r"[^\W\d]\w*")
_PROM_DURATION = re.compile(r"(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?")
_GO_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+")
_BYTES = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[kmgtp]i?b?|b)?", re.IGNORECASE)
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_DIGITS = {8: "01234567", 16: "0123456789abcdefABCDEF"}


@dataclass(frozen=True)
class LogQLError:
    message: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return self.message


class _Fail(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.error = LogQLError(message, line, col)


def _prom_duration(text: str) -> bool:
    return text == "0" or bool(_PROM_DURATION.fullmatch(text))


def _duration(text: str) -> bool:
    return _prom_duration(text) or text == "0" or bool(_GO_DURATION.fullmatch(text))


def _unquote(raw: str, line: int, col: int) -> str:
    """Go's strconv.Unquote for a double-quoted literal (the quotes included)."""
    out, i, body = [], 0, raw[1:-1]
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        esc = body[i + 1:i + 2]
        if esc in _ESCAPES or esc == '"':
            out.append(_ESCAPES.get(esc, esc))
            i += 2
            continue
        size = {"x": 2, "u": 4, "U": 8}.get(esc, 3)
        digits = body[i + 2:i + 2 + size] if esc in "xuU" else body[i + 1:i + 4]
        base = 16 if esc in "xuU" else 8
        if len(digits) == size and all(c in _DIGITS[base] for c in digits):
            value = int(digits, base)
            if value <= (0x10FFFF if esc in "uU" else 255) and not 0xD800 <= value <= 0xDFFF:
                out.append(chr(value))
                i += 2 + size if esc in "xuU" else 4
                continue
        raise _Fail(f"invalid escape sequence \\{esc} in a double-quoted string (write \\\\{esc}, or quote "
                    "the string with backticks)", line, col + 1 + i)
    return "".join(out)


class _Scanner:
    """Turns a query into tokens the way Loki's lexer does (pkg/logql/syntax/lex.go)."""

    def __init__(self, text: str):
        self.text, self.i, self.line, self.col = text, 0, 1, 1

    def advance(self, n: int) -> None:
        chunk = self.text[self.i:self.i + n]
        newlines = chunk.count("\n")
        self.line += newlines
        self.col = len(chunk) - chunk.rfind("\n") if newlines else self.col + n
        self.i += n

    def tokens(self):
        text = self.text
        while True:
            while self.i < len(text) and text[self.i] in " \t\r\n":
                self.advance(1)
            if self.i >= len(text):
                return
            start = (self.i, self.line, self.col)
            kind, value, length = self.next_token()
            self.advance(length)
            if kind:
                yield Token(kind, value, start[0], start[1], start[2], self.line, self.col, self.i)

    def next_token(self) -> tuple[str | None, str, int]:
        text, i = self.text, self.i
        ch, two = text[i], text[i:i + 2]
        if ch == "#" or two == "//":  # comments: '#' as Loki adds, '//' and '/* */' from Go's scanner
            end = text.find("\n", i)
            return None, "", (end if end >= 0 else len(text)) - i
        if two == "/*":
            end = text.find("*/", i + 2)
            if end < 0:
                raise _Fail("comment not terminated", self.line, self.col)
            return None, "", end + 2 - i
        if ch.isdigit() or (ch == "." and text[i + 1:i + 2].isdigit()):
            return self.number()
        if ch == "-":
            if text[i + 1:i + 2] == "-":
                flag = re.match(r"--[A-Za-z-]*", text[i:]).group(0)
                if flag in FLAGS:
                    return "FLAG", flag, len(flag)
            suffix = self.unit_run(i + 1, "0123456789.nuµμmshdwy")
            if suffix and _duration("-" + suffix):
                return "DURATION", "-" + suffix, 1 + len(suffix)
            return "SUB", "-", 1
        if ch == '"':
            match = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(text, i)
            if not match:
                raise _Fail("string literal not terminated", self.line, self.col)
            return "STRING", _unquote(match.group(0), self.line, self.col), match.end() - i
        if ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise _Fail("raw string literal not terminated", self.line, self.col)
            return "STRING", text[i + 1:end].replace("\r", ""), end + 1 - i
        if ch == "'":
            raise _Fail("single quotes do not make a string in LogQL; use \"...\" or `...`", self.line, self.col)
        if ch == "[":
            end = text.find("]", i)
            if end < 0:
                raise _Fail("missing closing ']' in range", self.line, self.col)
            inside = text[i + 1:end]
            if not _prom_duration(inside):
                raise _Fail(f"not a valid duration: [{inside}]", self.line, self.col)
            return "RANGE", inside, end + 1 - i
        ident = _IDENT.match(text, i)
        if ident:
            word = ident.group(0)
            lower = word.lower()
            if lower in FUNCTIONS:
                return (FUNCTIONS[lower] if self.is_function(ident.end()) else "IDENTIFIER"), lower, len(word)
            return KEYWORDS.get(lower, "IDENTIFIER"), word, len(word)
        if two in OPERATORS:
            return OPERATORS[two], two, 2
        if ch in OPERATORS:
            return OPERATORS[ch], ch, 1
        raise _Fail(f"unexpected character {ch!r}", self.line, self.col)

    def number(self) -> tuple[str, str, int]:
        match = _NUMBER.match(self.text, self.i)
        number = match.group(0)
        run = self.unit_run(match.end(), "0123456789.nuµμmshdwy")
        if run and _duration(number + run):
            return "DURATION", number + run, len(number + run)
        run = self.unit_run(match.end(), "0123456789.BikKMGTP")
        if run and _BYTES.fullmatch(number + run):
            return "BYTES", number + run, len(number + run)
        return "NUMBER", number, len(number)

    def unit_run(self, start: int, allowed: str) -> str:
        end = start
        while end < len(self.text) and self.text[end] in allowed:
            end += 1
        return self.text[start:end]

    def is_function(self, at: int) -> bool:
        rest = self.text[at:].lstrip()
        if rest.startswith("("):
            return True
        word = re.match(r"(by|without)\b", rest, re.IGNORECASE)
        return bool(word) and rest[word.end():].lstrip().startswith("(")


class _LogQLLexer(Lexer):
    def __init__(self, lexer_conf):
        pass

    def lex(self, data):
        yield from _Scanner(data).tokens()


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("runbookgen.queries").joinpath("logql.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_LogQLLexer, propagate_positions=False, maybe_placeholders=False)


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
    if len(expr) >= MAX_QUERY_LENGTH:
        return None, LogQLError(f"the query is {len(expr)} characters long; Loki accepts at most "
                                f"{MAX_QUERY_LENGTH - 1}")
    try:
        tree = _parser().parse(expr)
    except _Fail as err:
        return None, err.error
    except UnexpectedInput as err:
        if isinstance(err.__context__, _Fail):
            return None, err.__context__.error
        return None, _syntax_error(err, expr)
    try:
        _kind(tree.children[0])
    except _Fail as err:
        return None, err.error
    return tree, None


@functools.lru_cache(maxsize=None)
def _verdict(expr: str) -> tuple[str, LogQLError | None]:
    tree, error = parse_logql(expr)
    if error:
        return "", error
    return _kind(tree.children[0]), None


def logql_error(expr: str, *, metric: bool = False) -> LogQLError | None:
    """Why ``expr`` is not valid LogQL (a metric query when ``metric``), or None."""
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
        return [(t.type, str(t)) for t in _Scanner(expr).tokens()]
    except _Fail:
        return None


# ---- what Loki checks after parsing (pkg/logql/syntax: ast.go, parser.go) ----------------------------
_SET_OPS = ("AND", "OR", "UNLESS")
_COMPARISONS = ("CMP_EQ", "NEQ", "GT", "GTE", "LT", "LTE")
_GROUPING_ALLOWED = {"avg_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time",
                     "max_over_time", "min_over_time", "first_over_time", "last_over_time"}
_WITH_UNWRAP = {"avg_over_time", "sum_over_time", "max_over_time", "min_over_time", "stddev_over_time",
                "stdvar_over_time", "quantile_over_time", "rate", "rate_counter", "absent_over_time",
                "first_over_time", "last_over_time"}
_WITHOUT_UNWRAP = {"bytes_over_time", "bytes_rate", "count_over_time", "rate", "absent_over_time"}


def _first_token(node) -> Token:
    return node if isinstance(node, Token) else next(node.scan_values(lambda v: isinstance(v, Token)))


def _fail(node, message: str) -> _Fail:
    token = _first_token(node)
    return _Fail(message, token.line or 1, token.column or 1)


def _token(node, kind: str) -> Token | None:
    return next((c for c in node.children if isinstance(c, Token) and c.type == kind), None)


def _subtrees(node, name: str) -> list[Tree]:
    return [c for c in node.children if isinstance(c, Tree) and c.data == name]


def _kind(node) -> str:
    """'log', 'metric' or 'literal' for an expression node; raises _Fail where Loki would refuse it."""
    name = node.data
    if name == "paren":
        return _kind(node.children[1])
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
        if _kind(node.children[2]) == "log":
            raise _fail(node, "label_replace needs a metric query, not a log query")
        if not _LABEL_NAME.fullmatch(str(node.children[4])):
            raise _fail(node.children[4], f"label_replace: {str(node.children[4])!r} is not a valid label name")
        return "metric"
    if name == "vector_aggregation":
        return _vector_aggregation(node)
    if name == "range_aggregation":
        return _range_aggregation(node)
    if name == "variants":
        for child in node.children:
            if isinstance(child, Tree) and child.data not in ("log_range", "paren_range"):
                _kind(child)
        _log_range(_subtrees(node, "log_range")[0] if _subtrees(node, "log_range") else node.children[-2])
        return "metric"
    raise _fail(node, f"unexpected {name}")  # pragma: no cover - the grammar has no other expression


def _binop(node) -> str:
    left, op, right = node.children[0], node.children[1], node.children[-1]
    op = op if isinstance(op, Token) else op.children[0]
    kinds = (_kind(left), _kind(right))
    if "log" in kinds:
        side = "left" if kinds[0] == "log" else "right"
        raise _fail(node, f"the {side} side of '{op}' is a log query; binary operators need metric queries "
                          "such as count_over_time({...}[5m])")
    if op.type in _SET_OPS and "literal" in kinds:
        raise _fail(op, f"'{op}' needs metric queries on both sides, not a number")
    if kinds == ("literal", "literal"):
        if op.type in _COMPARISONS and not _token(node.children[2], "BOOL"):
            raise _fail(op, f"comparing two numbers with '{op}' needs the bool modifier")
        return "literal"
    return "metric"


def _vector_aggregation(node) -> str:
    op = str(node.children[0])
    groupings = _subtrees(node, "grouping")
    if len(groupings) > 1:
        raise _fail(node, f"{op} takes one by or without clause, not two")
    param = _token(node, "NUMBER")
    inner = next(c for c in node.children[1:] if isinstance(c, Tree) and c.data != "grouping")
    if _kind(inner) == "log":
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
