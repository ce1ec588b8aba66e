"""The parts of a PromQL query the fast path (``promql_fast``) reads in one go: matchers, groupings,
ranges and subqueries, the modifiers of a binary operator. Each gives what the ``Semantics`` callbacks
give for it, and where the text goes on; ``Decline`` when the LALR parser must read the query.
"""

from __future__ import annotations

import re

from runbookgen.queries.promql_lexer import AGGREGATIONS, Scanner, Token

GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_GAP_START = frozenset(" \t\r\n#")
IDENT = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
BY_WITHOUT = re.compile(r"(?i)(?:by|without)\b")
DIGITS = "0123456789"
WORD_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:")
LABEL_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
AGGREGATION_WORDS = frozenset(AGGREGATIONS)
NOT_OPERANDS = frozenset({"bool", "on", "ignoring", "group_left", "group_right", "fill", "fill_left",
                           "fill_right"})  # keywords wherever they stand (fill before "(", left to the LALR)
OPERATOR_WORDS = {"and": "LAND", "or": "LOR", "unless": "LUNLESS", "atan2": "ATAN2"}
OPERATORS_2 = {"==": "EQLC", "!=": "NEQ", ">=": "GTE", "<=": "LTE", "</": "TRIM_UPPER", ">/": "TRIM_LOWER"}
OPERATORS_1 = {"+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "%": "MOD", "^": "POW", ">": "GTR", "<": "LSS"}
MATCH_OPS = {"=~": "EQL_REGEX", "!~": "NEQ_REGEX", "!=": "NEQ"}
GROUP_WORDS = {"on": "ON", "ignoring": "IGNORING"}
# the common shapes in one match each: a matcher `name op "value"` (with the comma after it), a grouping of
# plain label names, a double-quoted string without escapes; anything else takes the general way
SPACES = r"[ \t\r\n]*"
PLAIN_MATCHER = re.compile(rf'([a-zA-Z_][a-zA-Z0-9_]*){SPACES}(=~|!~|!=|=){SPACES}"([^"\\\n]*)"{SPACES}(,{SPACES})?')
PLAIN_LABELS = re.compile(rf"\({SPACES}((?:[a-zA-Z_][a-zA-Z0-9_]*{SPACES},{SPACES})*"
                           rf"(?:[a-zA-Z_][a-zA-Z0-9_]*{SPACES})?)\)")
LABEL_NAMES = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
PLAIN_STRING = re.compile(r'"([^"\\\n]*)"')
CARDINALITY = {"group_left": "GROUP_LEFT", "group_right": "GROUP_RIGHT"}


class Decline(Exception):
    """The fast path does not read this query; the LALR parser will."""


def token(kind: str, value: str, start: int, end: int) -> Token:
    made = Token(value)
    made.type, made.start_pos, made.end_pos = kind, start, end
    return made


class TermReaders:
    """Readers over ``self.text`` (``self.sem`` is the ``Semantics``; ``self.scanner`` reads strings and
    numbers exactly as the lexer does)."""

    def __init__(self, text: str, semantics):
        self.text, self.n, self.sem = text, len(text), semantics
        self.scanner = Scanner(text)  # its string and number readers depend on the text alone

    def gap(self, i: int) -> int:
        """Where the next token starts at or after ``i`` (past spaces and comments)."""
        return GAP.match(self.text, i).end() if self.text[i:i + 1] in _GAP_START else i

    def labels_clause(self, i: int):
        """``by (...)`` or ``without (...)`` at ``i``."""
        word = IDENT.match(self.text, i).group(0)
        if word.lower() not in ("by", "without"):
            raise Decline
        keyword = token(word.upper(), word, i, i + len(word))
        labels, end = self.labels(self.gap(i + len(word)))
        return self.sem.labels_clause([keyword, labels]), end

    def labels(self, i: int):
        """The sorted label names of a grouping ``(a, "b", ...)`` at ``i``, and the offset after it."""
        text = self.text
        match = PLAIN_LABELS.match(text, i)
        if match is not None:
            return self.sem.labels(LABEL_NAMES.findall(match.group(1))), match.end()
        if not text.startswith("(", i):
            raise Decline
        names = []  # (name, where it ends)
        i = self.gap(i + 1)
        while True:
            ch = text[i:i + 1]
            if ch == ")":
                return self.sem.labels([name for name, _ in names]), i + 1
            if ch in LABEL_START and ch:
                match = LABEL.match(text, i)
                name, i = match.group(0), match.end()
            elif ch == '"' or ch == "'" or ch == "`":
                _, name, i = self.scanner.string(i)
            else:
                raise Decline
            names.append((name, i))
            i = self.gap(i)
            if text.startswith(",", i):
                i = self.gap(i + 1)
            elif not text.startswith(")", i):
                raise Decline

    def selector(self, name: Token | None, i: int):
        """A selector whose ``{`` is at ``i`` (``name`` is its metric name token, if any)."""
        text, scanner = self.text, self.scanner
        matchers = []
        j = self.gap(i + 1)
        plain = PLAIN_MATCHER.match
        while True:
            ch = text[j:j + 1]
            if ch == "}":
                break
            match = plain(text, j)
            if match is not None:
                matchers.append((match.group(1), match.group(2), match.group(3), j))
                j = match.end()
                if match.group(4) is None and not text.startswith("}", j):
                    j = self.gap(j)  # a comment, or something that is not a matcher
                    if not text.startswith("}", j):
                        raise Decline
                continue
            if ch in LABEL_START and ch:
                match = LABEL.match(text, j)
                label, label_at, j = match.group(0), j, match.end()
            elif ch == '"' or ch == "'" or ch == "`":
                label_at = j
                _, label, j = scanner.string(j)
                after = self.gap(j)
                if text[after:after + 1] in (",", "}"):
                    matchers.append(("__name__", "=", label, label_at))
                    j = after + 1 if text[after] == "," else after
                    j = self.gap(j)
                    continue
            else:
                raise Decline
            j = self.gap(j)
            two = text[j:j + 2]
            if two in MATCH_OPS:
                op, j = two, j + 2
            elif two[:1] == "=":
                op, j = "=", j + 1
            else:
                raise Decline
            j = self.gap(j)
            if text[j:j + 1] not in ('"', "'", "`"):
                raise Decline
            _, value, j = scanner.string(j)
            matchers.append((label, op, value, label_at))
            j = self.gap(j)
            if text.startswith(",", j):
                j = self.gap(j + 1)
            elif not text.startswith("}", j):
                raise Decline
        found = (matchers, i, j + 1)
        return self.sem.selector([name, found] if name is not None else [found]), j + 1

    def duration(self, i: int):
        """One number or duration literal at ``i``, as ``dur_number`` makes it."""
        text = self.text
        ch = text[i:i + 1]
        if not (ch and ch in DIGITS or (ch == "." and text[i + 1:i + 2] in DIGITS and text[i + 1:i + 2])):
            raise Decline
        kind, value, end = self.scanner.number(i)
        return self.sem.dur_number([token(kind, value, i, end)]), end

    def brackets(self, node, i: int):
        """A range ``[d]`` or subquery ``[d:]``/``[d:s]`` at ``i`` after ``node``."""
        text, sem = self.text, self.sem
        open_ = token("LEFT_BRACKET", "[", i, i + 1)
        duration, j = self.duration(self.gap(i + 1))
        j = self.gap(j)
        ch = text[j:j + 1]
        if ch == "]":
            return sem.range([node, open_, duration, token("RIGHT_BRACKET", "]", j, j + 1)]), j + 1
        if ch != ":":
            raise Decline
        children = [node, open_, duration, token("COLON", ":", j, j + 1)]
        j = self.gap(j + 1)
        if text[j:j + 1] != "]":
            step, j = self.duration(j)
            children.append(step)
            j = self.gap(j)
            if text[j:j + 1] != "]":
                raise Decline
        children.append(token("RIGHT_BRACKET", "]", j, j + 1))
        return sem.subquery(children), j + 1

    def modifiers(self, chain: list, op: Token, i: int) -> int:
        """After binary operator ``op``: bool, on/ignoring (...), group_left/group_right (...); appends
        the operator and its ``bin_mod`` to ``chain`` and gives where the next operand starts."""
        text, sem = self.text, self.sem
        chain.append(sem.binary_op([op]))
        children = []
        i = self.gap(i)
        word, lower = self.word_at(i)
        if lower == "bool":
            children.append(token("BOOL", word, i, i + 4))
            i = self.gap(i + 4)
            word, lower = self.word_at(i)
        if lower in GROUP_WORDS:
            keyword = token(GROUP_WORDS[lower], word, i, i + len(word))
            labels, i = self.labels(self.gap(i + len(word)))
            matching = [keyword, labels]
            i = self.gap(i)
            word, lower = self.word_at(i)
            if lower in CARDINALITY:
                matching.append(token(CARDINALITY[lower], word, i, i + len(word)))
                i = self.gap(i + len(word))
                if text.startswith("(", i):
                    include, i = self.labels(i)
                    matching.append(include)
                    i = self.gap(i)
            children.append(sem.matching(matching))
            word, lower = self.word_at(i)
        if lower in NOT_OPERANDS:
            raise Decline
        chain.append(sem.bin_mod(children))
        return i

    def word_at(self, i: int) -> tuple[str, str]:
        match = IDENT.match(self.text, i)
        if match is None:
            return "", ""
        return match.group(0), match.group(0).lower()
