"""A fast path for the PromQL people write: one pass over the text, no token stream, no LALR tables.

``fast_parse(text, semantics)`` reads a query the way ``promql.lark`` and ``promql_lexer`` would, and
calls the same ``Semantics`` callbacks, with the same children, in the same order (children before
their parent, left to right, as an LR parser reduces), so it builds the same nodes, errors, features
and selectors. It knows what it expects next, so the lexer's context rules (keywords by position,
labels inside groupings and braces) are where it stands, and it scans with a few anchored regular
expressions.

It covers the common syntax: numbers, durations, strings, selectors and matchers, calls,
aggregations with by/without, unary signs, binary operators with bool, on/ignoring and
group_left/group_right, ranges and subqueries of one literal each, and ``offset`` of one literal. For
anything else (``@``, duration arithmetic, fill modifiers, anchored/smoothed, a trailing comma) and
for every syntax or lexical error it answers None, and the LALR parser, the authority, reads the query:
so a syntax error's message, position and expected tokens never come from here. (What the callbacks
find in a query it does read, such as a wrong argument type, they find as they would for the LALR.) There is no recursion: open
parentheses, calls and aggregations are frames on a list, and a query's depth is bounded before
either parser sees it (``query_bounds``).
"""

from __future__ import annotations

from runbookgen.queries.promql_fast_terms import (AGGREGATION_WORDS, BY_WITHOUT, DIGITS, IDENT, LABEL_START,
                                                  NOT_OPERANDS, OPERATOR_WORDS, OPERATORS_1, OPERATORS_2,
                                                  PLAIN_STRING, WORD_START, Decline, TermReaders, token)
from runbookgen.queries.promql_lexer import PromQLFail, Token


class _Frame:
    """An open parenthesis: a plain one ("paren"), a call's or an aggregation's; what it interrupted."""

    __slots__ = ("kind", "head", "open", "args", "chain", "signs")

    def __init__(self, kind: str, head: list, open_: Token, chain: list, signs: list):
        self.kind, self.head, self.open, self.chain, self.signs = kind, head, open_, chain, signs
        self.args: list = []  # the children of ``args``: expressions and commas


def fast_parse(text: str, semantics):
    """The node ``semantics.start`` gives for ``text``, or None when the LALR parser must read it."""
    try:
        return _Reader(text, semantics).read()
    except (Decline, PromQLFail):
        return None


class _Reader(TermReaders):
    def read(self):
        text, n, sem = self.text, self.n, self.sem
        frames: list[_Frame] = []
        chain: list = []  # children of the ``chain`` being read: operand, operator, modifiers, operand, ...
        signs: list = []  # unary signs before the operand being read (operand() of a node alone is the node)
        i = self.gap(0)
        while True:
            # ---- an operand ------------------------------------------------------------------------
            ch = text[i] if i < n else ""
            if ch == "+" or ch == "-":
                signs.append(token("ADD" if ch == "+" else "SUB", ch, i, i + 1))
                i = self.gap(i + 1)
                continue
            if ch == "(":
                frames.append(_Frame("paren", [], token("LEFT_PAREN", "(", i, i + 1), chain, signs))
                chain, signs = [], []
                i = self.gap(i + 1)
                continue
            if ch == ")" and frames and frames[-1].kind != "paren" and not frames[-1].args and not chain \
                    and not signs:  # a call or aggregation without arguments
                frame = frames.pop()
                chain, signs = frame.chain, frame.signs
                node, i = self.close(frame, None, i)
            elif ch in DIGITS and ch or (ch == "." and text[i + 1:i + 2] in DIGITS and text[i + 1:i + 2]):
                kind, value, end = self.scanner.number(i)
                node = sem.number([token(kind, value, i, end)])
                i = end
            elif ch == '"' or ch == "'" or ch == "`":
                match = PLAIN_STRING.match(text, i)
                kind, value, end = ("STRING", match.group(1), match.end()) if match else self.scanner.string(i)
                node = sem.string([token(kind, value, i, end)])
                i = end
            elif ch == "{":
                node, i = self.selector(None, i)
            elif ch in WORD_START and ch:
                word = IDENT.match(text, i).group(0)
                end = i + len(word)
                lower = word.lower()
                after = self.gap(end)
                paren = text.startswith("(", after)
                if lower in ("inf", "nan"):
                    node = sem.number([token("NUMBER", word, i, end)])
                    i = end
                elif lower in AGGREGATION_WORDS and (paren or BY_WITHOUT.match(text, after)):
                    head = [token("AGG_OP", lower, i, end)]
                    if not paren:
                        clause, after = self.labels_clause(after)
                        head.append(clause)
                        after = self.gap(after)
                        if not text.startswith("(", after):
                            raise Decline
                    frames.append(_Frame("agg", head, token("LEFT_PAREN", "(", after, after + 1), chain, signs))
                    chain, signs = [], []
                    i = self.gap(after + 1)
                    continue
                elif lower in NOT_OPERANDS:
                    raise Decline
                elif paren:
                    if ":" in word:
                        raise Decline
                    frames.append(_Frame("call", [token("IDENTIFIER", word, i, end)],
                                         token("LEFT_PAREN", "(", after, after + 1), chain, signs))
                    chain, signs = [], []
                    i = self.gap(after + 1)
                    continue
                else:
                    name = token("METRIC_IDENTIFIER" if ":" in word else "IDENTIFIER", word, i, end)
                    if text.startswith("{", after):
                        node, i = self.selector(name, after)
                    else:
                        node = sem.selector([name])
                        i = end
            else:
                raise Decline
            # ---- what follows an operand: ranges, subqueries, offset; then an operator or the end -------
            while True:
                i = self.gap(i)
                ch = text[i] if i < n else ""
                if ch == "[":
                    node, i = self.brackets(node, i)
                    continue
                if ch in WORD_START and ch:
                    word = IDENT.match(text, i).group(0)
                    lower = word.lower()
                    end = i + len(word)
                    if lower == "offset":
                        keyword = token("OFFSET", word, i, end)
                        duration, i = self.duration(self.gap(end))
                        node = sem.offset([node, keyword, duration])
                        continue
                    if lower in OPERATOR_WORDS:
                        chain.append(sem.operand(signs + [node]) if signs else node)
                        signs = []
                        op = token(OPERATOR_WORDS[lower], word, i, end)
                        i = self.modifiers(chain, op, end)
                        break
                    raise Decline
                two = text[i:i + 2]
                kind = OPERATORS_2.get(two)
                width = 2
                if kind is None and two not in ("=~", "!~"):
                    kind, width = OPERATORS_1.get(ch), 1
                if kind is not None:
                    chain.append(sem.operand(signs + [node]) if signs else node)
                    signs = []
                    i = self.modifiers(chain, token(kind, text[i:i + width], i, i + width), i + width)
                    break
                # the end of a chain: ")", "," or the end of the query
                chain.append(sem.operand(signs + [node]) if signs else node)
                expr = sem.chain(chain)
                if not ch:
                    if frames:
                        raise Decline
                    return sem.start([expr])
                if not frames:
                    raise Decline
                frame = frames[-1]
                if ch == ",":
                    if frame.kind == "paren":
                        raise Decline
                    frame.args += (expr, token("COMMA", ",", i, i + 1))
                    chain, signs = [], []
                    i = self.gap(i + 1)
                    break
                if ch != ")":
                    raise Decline
                frames.pop()
                chain, signs = frame.chain, frame.signs
                node, i = self.close(frame, expr, i)

    def close(self, frame: _Frame, expr, i: int):
        """The node a ")" at ``i`` ends (``expr`` is its last expression, if any), and where to go on."""
        sem = self.sem
        close = token("RIGHT_PAREN", ")", i, i + 1)
        if frame.kind == "paren":
            return sem.paren([frame.open, expr, close]), i + 1
        args = frame.args + [expr] if expr is not None else frame.args
        children = [*frame.head, frame.open] + ([sem.args(args)] if args else []) + [close]
        if frame.kind == "call":
            return sem.call(children), i + 1
        end = i + 1
        after = self.gap(end)
        if self.text[after:after + 1] in LABEL_START and BY_WITHOUT.match(self.text, after):
            word = IDENT.match(self.text, after).group(0).lower()
            if word in ("by", "without"):
                clause, end = self.labels_clause(after)
                children.append(clause)
        return sem.aggregate(children), end

