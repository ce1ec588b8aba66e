"""PromQL's lexer, as Prometheus 3's (promql/parser/lex.go): tokens with their offsets, Go string literals,
numbers and durations; feeds the grammar in ``promql.lark`` (see ``runbookgen.queries.promql``).

Prometheus decides some words by context, and so does this lexer: ``sum`` is an aggregation only before
``(`` or ``by``/``without``, ``offset``, ``and``, ``anchored`` are keywords only after an operand (elsewhere
metric names), ``start``/``end`` only after ``@``; inside ``{...}`` and grouping parentheses every word is
a label name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from runbookgen.problems import line_col
from runbookgen.queries.go_strings import BadEscape, unquote_body


AGGREGATIONS = ("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk",
                "count_values", "quantile", "limitk", "limit_ratio")
_SET_AND_ATAN = {"and": "LAND", "or": "LOR", "unless": "LUNLESS", "atan2": "ATAN2"}
_AFTER_OPERAND = {**_SET_AND_ATAN, "offset": "OFFSET", "anchored": "ANCHORED", "smoothed": "SMOOTHED",
                  "by": "BY", "without": "WITHOUT"}
_MODIFIERS = {"bool": "BOOL", "on": "ON", "ignoring": "IGNORING", "group_left": "GROUP_LEFT",
              "group_right": "GROUP_RIGHT"}
_FILLS = {"fill": "FILL", "fill_left": "FILL_LEFT", "fill_right": "FILL_RIGHT"}
OPERATORS = {
    "==": "EQLC", "!=": "NEQ", ">=": "GTE", "<=": "LTE", "</": "TRIM_UPPER", ">/": "TRIM_LOWER",
    "+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "%": "MOD", "^": "POW", ">": "GTR", "<": "LSS",
    "=": "EQL", "@": "AT", ",": "COMMA", "(": "LEFT_PAREN", ")": "RIGHT_PAREN", "[": "LEFT_BRACKET",
    "]": "RIGHT_BRACKET", "{": "LEFT_BRACE", "}": "RIGHT_BRACE", ":": "COLON",
}
_ENDS_OPERAND = {"NUMBER", "DURATION", "STRING", "IDENTIFIER", "METRIC_IDENTIFIER", "RIGHT_BRACE",
                 "RIGHT_BRACKET", "ANCHORED", "SMOOTHED"}
_GROUP_OPENERS = {"BY", "WITHOUT", "ON", "IGNORING", "GROUP_LEFT", "GROUP_RIGHT"}

_DURATION_OPERATORS = {"ADD": "DADD", "SUB": "DSUB", "MUL": "DMUL", "DIV": "DDIV", "MOD": "DMOD", "POW": "DPOW"}
_DURATION_ENDS = {"NUMBER", "DURATION", "RIGHT_PAREN"}
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BY_WITHOUT = re.compile(r"(?i)(?:by|without)\b")
_DURATION_CALL = re.compile(r"(?i)(?:step|range|min_of|max_of)[ \t\r\n]*\(")
_SPACE = re.compile(r"[ \t\r\n]+")
_NUMBERISH = re.compile(r"(?:[0-9a-zA-Z_.]|(?<=[eEpP])[+-](?=[0-9_]))*")
_IDENT = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
DURATION = re.compile(r"(?=[0-9])(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?"
                      r"(?:([0-9]+)s)?(?:([0-9]+)ms)?")
_DURATION_UNITS_MS = (365 * 86400000, 7 * 86400000, 86400000, 3600000, 60000, 1000, 1)
_D = r"[0-9](?:_?[0-9])*"
_H = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_GO_NUMBER = re.compile(  # Go's ParseInt(s, 0, 64) and ParseFloat(s, 64) syntax, underscores included
    rf"0[xX]_?{_H}|0[oO]_?[0-7](?:_?[0-7])*|0[bB]_?[01](?:_?[01])*|{_D}"
    rf"|(?:{_D}\.(?:{_D})?|\.{_D})(?:[eE][+-]?{_D})?|{_D}[eE][+-]?{_D}"
    rf"|0[xX](?:_?{_H}\.(?:{_H})?|_?{_H}|\.{_H})[pP][+-]?{_D}")
MAX_DURATION_MS = (1 << 63) // 1000000  # Go's time.Duration holds about 292 years
_MAX_DIGITS = 400
_HUGE = 10 ** _MAX_DIGITS


class Token(str):
    """A token: its text, with ``type``, ``start_pos`` and ``end_pos`` as lark's tokens have them (lark's own
    cost twice as much to make, and a query is made of little else; see lalr_driver)."""

    line = column = None


@dataclass(frozen=True)
class PromQLError:
    """Why a query is not valid PromQL: the message, the 0-based offset in the query, and what the parser
    expected there (empty when it does not know). ``line``/``col`` count from 1 inside the query."""

    message: str
    offset: int = 0
    line: int = 1
    col: int = 1
    expected: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


def error_at(text: str, message: str, offset: int, expected: tuple[str, ...] = ()) -> PromQLError:
    """A ``PromQLError`` at ``offset`` of ``text`` (kept inside it), with its 1-based line and column."""
    offset = max(0, min(offset, len(text)))
    return PromQLError(message, offset, *line_col(text, offset), expected)


class PromQLFail(Exception):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message, self.offset = message, offset


@lru_cache(maxsize=4096)  # a rule file repeats the same few durations ("5m") and numbers ("0.05") thousands of times
def duration_ms(text: str) -> int | None:
    """Milliseconds of a Prometheus duration such as ``1h30m``; None when it is not one."""
    match = DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        return None
    # a count of more digits than any float holds is out of range however it is read: not spelled out (past
    # 4,300 digits int() refuses a text, and past about 310 no float holds the value)
    return sum((int(v) if len(v) <= _MAX_DIGITS else _HUGE) * unit for v, unit in zip(match.groups(),
                                                                                       _DURATION_UNITS_MS) if v)


@lru_cache(maxsize=4096)
def number_value(text: str) -> float | None:
    """The value of a numeric literal as Prometheus reads it (ParseInt base 0, else ParseFloat)."""
    if not _GO_NUMBER.fullmatch(text):
        return None
    plain = text.replace("_", "")
    lower = plain.lower()
    if lower.startswith(("0x", "0o", "0b")) and "p" not in lower and "." not in lower:
        return float(int(plain, 0))
    if lower.startswith("0x"):
        return float.fromhex(plain)
    if re.fullmatch(r"0[0-9]+", plain):  # ParseInt base 0 reads a leading 0 as octal
        return float(int(plain, 8)) if re.fullmatch(r"0[0-7]+", plain) else float(plain)
    return float(plain)


def unquote(raw: str, start: int) -> str:
    """Go's strconv.Unquote as Prometheus applies it, for "..." and '...' (quotes included)."""
    try:
        return unquote_body(raw[1:-1], raw[0])
    except BadEscape as bad:
        at, esc = start + 1 + bad.index, bad.escape
        if bad.kind == "code point":
            raise PromQLFail("escape sequence is an invalid Unicode code point", at) from None
        if bad.kind == "digits":
            raise PromQLFail(f"illegal character in escape sequence \\{esc}{bad.digits}", at) from None
        raise PromQLFail(f"unknown escape sequence \\{esc} in a quoted string (write \\\\{esc}, or use "
                         "backticks)" if esc else "escape sequence not terminated", at) from None


class Scanner:
    """Turns a query into lark tokens the way Prometheus's lexer does."""

    def __init__(self, text: str):
        self.text = text
        self.prev = ""  # type of the previous token
        self.parens: list[str] = []  # what each open "(" is: "group" (labels), "match", "fill" or "expr"
        self.braces = False
        self.brackets = 0
        self.closed = "expr"  # what the last ")" closed
        self.after_offset = False  # reading the duration after "offset"
        self.offset_parens = 0  # parentheses opened inside that duration
        self.offset_greedy = False  # that duration began with "(" and may go on after it

    def tokens(self):
        text, n, i = self.text, len(self.text), 0
        while True:
            space = _SPACE.match(text, i)
            if space:
                i = space.end()
            if i < n and text[i] == "#":
                end = text.find("\n", i)
                i = n if end < 0 else end
                continue
            if i >= n:
                if self.braces:
                    raise PromQLFail("unexpected end of input inside braces", n)
                return
            kind, value, end = self.braced(i) if self.braces else self.statement(i)
            if self.after_offset or self.brackets:
                kind = self.in_duration(kind, end)
            elif kind == "OFFSET":
                self.after_offset, self.offset_parens, self.offset_greedy = True, 0, False
            self.prev = kind
            token = Token(value)
            token.type, token.start_pos, token.end_pos = kind, i, end
            yield token
            i = end

    def in_duration(self, kind: str, end: int) -> str:
        """The token type of ``kind`` inside a duration, where arithmetic operators are duration operators.

        Inside [...] everything is a duration. After offset, as Prometheus's grammar resolves it, a duration
        is one (signed) literal, step(), range() or min_of/max_of(...), or a parenthesised expression, so
        ``foo offset 5m - 8`` is ``(foo offset 5m) - 8``; only a duration that starts with "(" goes on."""
        operator = _DURATION_OPERATORS.get(kind)
        if self.brackets and not self.after_offset:
            return operator or kind
        if kind == "LEFT_PAREN":
            if self.prev == "OFFSET":
                self.offset_greedy = True
            self.offset_parens += 1
            return kind
        if kind == "RIGHT_PAREN" and self.offset_parens:
            self.offset_parens -= 1
            return kind
        if self.offset_parens or self.prev == "OFFSET" or self.prev in _DURATION_OPERATORS.values():
            return operator or kind
        if operator and self.offset_greedy and self.duration_follows(end):
            return operator
        if self.prev in _DURATION_ENDS or kind == "RIGHT_PAREN":
            self.after_offset = False
        return kind

    def duration_follows(self, at: int) -> bool:
        """Whether the text at ``at`` can go on a duration: a number, a sign, "(", or step()-like call."""
        at = _GAP.match(self.text, at).end()
        if self.text[at:at + 1] in ("(", "+", "-", ".") or self.text[at:at + 1].isdigit():
            return True
        return bool(_DURATION_CALL.match(self.text, at))

    def braced(self, i: int) -> tuple[str, str, int]:
        text, ch = self.text, self.text[i]
        if ch in "\"'`":
            return self.string(i)
        two = text[i:i + 2]
        if two in ("=~", "!~", "!="):
            return {"=~": "EQL_REGEX", "!~": "NEQ_REGEX", "!=": "NEQ"}[two], two, i + 2
        if ch in "=,}":
            if ch == "}":
                self.braces = False
            return {"=": "EQL", ",": "COMMA", "}": "RIGHT_BRACE"}[ch], ch, i + 1
        label = _LABEL.match(text, i)
        if label:
            return "IDENTIFIER", label.group(0), label.end()
        raise PromQLFail(f"unexpected character inside braces: {ch!r}", i)

    def statement(self, i: int) -> tuple[str, str, int]:
        text, ch = self.text, self.text[i]
        if ch.isdigit() and ch.isascii() or (ch == "." and text[i + 1:i + 2].isdigit()):
            return self.number(i)
        if ch in "\"'`":
            return self.string(i)
        if ch.isascii() and (ch.isalpha() or ch == "_" or (ch == ":" and not self.brackets)):
            return self.word(i)
        two = text[i:i + 2]
        if two in ("=~", "!~"):
            raise PromQLFail(f"unexpected character after {two[0]!r}: '~'", i)
        if two in OPERATORS:
            return OPERATORS[two], two, i + 2
        if ch in OPERATORS:
            kind = OPERATORS[ch]
            if kind == "LEFT_BRACE":
                self.braces = True
            elif kind == "LEFT_BRACKET":
                self.brackets += 1
            elif kind == "RIGHT_BRACKET":
                self.brackets = max(self.brackets - 1, 0)
            elif kind == "LEFT_PAREN":
                self.parens.append("agg" if self.prev in ("BY", "WITHOUT") else
                                   "match" if self.prev in _GROUP_OPENERS else
                                   "fill" if self.prev in _FILLS.values() else "expr")
            elif kind == "RIGHT_PAREN":
                self.closed = self.parens.pop() if self.parens else "expr"
            return kind, ch, i + 1
        if ch == "!":
            raise PromQLFail("unexpected character after '!'", i)
        raise PromQLFail(f"unexpected character: {ch!r}", i)

    def ends_operand(self) -> bool:
        if self.prev == "RIGHT_PAREN":
            return self.closed in ("expr", "agg")
        return self.prev in _ENDS_OPERAND

    def word(self, i: int) -> tuple[str, str, int]:
        text = self.text
        match = (_LABEL if self.brackets or self.in_group() else _IDENT).match(text, i)
        if match is None:  # a ":" where only a label name may stand, as in `by (a:b)`
            raise PromQLFail(f"unexpected character: {text[i]!r}", i)
        word = match.group(0)
        end = match.end()
        lower = word.lower()
        if self.in_group():
            return "IDENTIFIER", word, end
        if lower in ("inf", "nan"):
            return "NUMBER", word, end
        after = _GAP.match(text, end).end()  # the next token's start (never a copy of the rest: that is quadratic)
        paren = text.startswith("(", after)
        if lower in AGGREGATIONS and (paren or _BY_WITHOUT.match(text, after)):
            return "AGG_OP", lower, end
        if lower in _MODIFIERS:
            return _MODIFIERS[lower], word, end
        if lower in _FILLS and paren and not self.ends_operand():
            if self.prev not in ("", "LEFT_PAREN", "COMMA", "LEFT_BRACKET", "COLON", "AT", "OFFSET"):
                return _FILLS[lower], word, end
        if lower in _AFTER_OPERAND and (self.ends_operand() or (lower in ("by", "without")
                                                                 and self.prev == "AGG_OP")):
            return _AFTER_OPERAND[lower], word, end
        if lower in ("start", "end") and self.prev == "AT":
            return lower.upper(), word, end
        return ("METRIC_IDENTIFIER" if ":" in word else "IDENTIFIER"), word, end

    def in_group(self) -> bool:
        return bool(self.parens) and self.parens[-1] in ("agg", "match")

    def number(self, i: int) -> tuple[str, str, int]:
        run = _NUMBERISH.match(self.text, i).group(0)
        end = i + len(run)
        if duration_ms(run) is not None and not run.isdigit():
            return "DURATION", run, end
        if number_value(run) is not None:
            return "NUMBER", run, end
        raise PromQLFail(f"bad number or duration syntax: {run!r}", i)

    def string(self, i: int) -> tuple[str, str, int]:
        text, quote = self.text, self.text[i]
        if quote == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise PromQLFail("unterminated raw string", i)
            return "STRING", text[i + 1:end], end + 1
        j = i + 1
        while j < len(text) and text[j] != quote:
            if text[j] == "\n":
                break
            j += 2 if text[j] == "\\" else 1
        if j >= len(text) or text[j] != quote:
            if text[j - 1:j] == "\\" or text.endswith("\\"):
                raise PromQLFail("escape sequence not terminated", i)
            raise PromQLFail("unterminated quoted string", i)
        return "STRING", unquote(text[i:j + 1], i), j + 1
