"""LogQL's lexer, as Loki's (pkg/logql/syntax/lex.go): tokens, Go string literals, durations and byte sizes.

Feeds the grammar in ``logql.lark``; see ``runbookgen.queries.logql``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token

from runbookgen.queries.go_strings import BadEscape, unquote_body

MAX_QUERY_LENGTH = 131072  # Loki (since 3.0) refuses queries of this many bytes or more

KEYWORDS = {
    "by": "BY", "without": "WITHOUT", "bool": "BOOL", "on": "ON", "ignoring": "IGNORING", "offset": "OFFSET",
    "group_left": "GROUP_LEFT", "group_right": "GROUP_RIGHT", "or": "OR", "and": "AND", "unless": "UNLESS",
    "json": "JSON", "logfmt": "LOGFMT", "regexp": "REGEXP", "unpack": "UNPACK", "pattern": "PATTERN",
    "line_format": "LINE_FMT", "label_format": "LABEL_FMT", "unwrap": "UNWRAP", "decolorize": "DECOLORIZE",
    "drop": "DROP", "keep": "KEEP",
}  # variants(...) of (...) left Loki's grammar on its main branch: "variants" and "of" are label names again
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

_GAP = re.compile(r"\s*")
_BY_WITHOUT = re.compile(r"(?i)(?:by|without)\b")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?"
                     r"|(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_D, _H = r"[0-9](?:_?[0-9])*", r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_GO_FLOAT = re.compile(  # what Go's strconv.ParseFloat accepts, which is how Loki reads a number
    rf"(?:{_D}(?:\.(?:{_D})?)?|\.{_D})(?:[eE][+-]?{_D})?|0[xX](?:_?{_H}(?:\.(?:{_H})?)?|\.{_H})[pP][+-]?{_D}")
_IDENT = re.compile(r"[^\W\d]\w*")
_PROM_DURATION = re.compile(r"(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?")
_GO_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+")
_BYTES = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[kmgtp]i?b?|b)?", re.IGNORECASE)
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


@dataclass(frozen=True)
class LogQLError:
    message: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return self.message


class LogQLFail(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.error = LogQLError(message, line, col)


def _prom_duration(text: str) -> bool:
    return text == "0" or bool(_PROM_DURATION.fullmatch(text))


def _duration(text: str) -> bool:
    return _prom_duration(text) or text == "0" or bool(_GO_DURATION.fullmatch(text))


def _unquote(raw: str, line: int, col: int) -> str:
    """Go's strconv.Unquote for a double-quoted literal (the quotes included)."""
    try:
        return unquote_body(raw[1:-1], '"')
    except BadEscape as bad:
        raise LogQLFail(f"invalid escape sequence \\{bad.escape} in a double-quoted string (write "
                        f"\\\\{bad.escape}, or quote the string with backticks)", line, col + 1 + bad.index) from None


class Scanner:
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
                raise LogQLFail("comment not terminated", self.line, self.col)
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
                raise LogQLFail("string literal not terminated", self.line, self.col)
            return "STRING", _unquote(match.group(0), self.line, self.col), match.end() - i
        if ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise LogQLFail("raw string literal not terminated", self.line, self.col)
            return "STRING", text[i + 1:end].replace("\r", ""), end + 1 - i
        if ch == "'":
            raise LogQLFail("single quotes do not make a string in LogQL; use \"...\" or `...`", self.line, self.col)
        if ch == "[":
            end = text.find("]", i)
            if end < 0:
                raise LogQLFail("missing closing ']' in range", self.line, self.col)
            inside = text[i + 1:end]
            if not _prom_duration(inside):
                raise LogQLFail(f"not a valid duration: [{inside}]", self.line, self.col)
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
        raise LogQLFail(f"unexpected character {ch!r}", self.line, self.col)

    def number(self) -> tuple[str, str, int]:
        match = _NUMBER.match(self.text, self.i)
        number = match.group(0)
        run = self.unit_run(match.end(), "0123456789.nuµμmshdwy")
        if run and _duration(number + run):
            return "DURATION", number + run, len(number + run)
        run = self.unit_run(match.end(), "0123456789.BikKMGTP")
        if run and _BYTES.fullmatch(number + run):
            return "BYTES", number + run, len(number + run)
        if not _GO_FLOAT.fullmatch(number):
            raise LogQLFail(f"unable to parse literal as a float: {number}", self.line, self.col)
        return "NUMBER", number, len(number)

    def unit_run(self, start: int, allowed: str) -> str:
        end = start
        while end < len(self.text) and self.text[end] in allowed:
            end += 1
        return self.text[start:end]

    def is_function(self, at: int) -> bool:
        at = _GAP.match(self.text, at).end()  # never a copy of the rest of the query: that is quadratic
        if self.text.startswith("(", at):
            return True
        word = _BY_WITHOUT.match(self.text, at)
        return bool(word) and self.text.startswith("(", _GAP.match(self.text, word.end()).end())
