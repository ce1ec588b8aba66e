"""Run lark's LALR(1) tables with our own loop, calling rule callbacks directly.

lark analyses the grammar (and ``grammars.load_grammar`` keeps that analysis between runs); its parser
loop then wraps every reduction in tree-building helpers. For PromQL, which lint parses thousands of
times, that loop was half the cost of a query, so this one does the same work with less: shift, or
reduce by calling the callback named after the rule (its alias, else its name), as lark's inline
transformer would, with lark's conventions: a ``?rule`` with one child is that child, and the children of
the helper rules lark makes for ``*`` and ``+`` (named ``_...``) are spliced into their parent's.
Errors are lark's ``UnexpectedToken``, with the terminals the table expected.
"""

from __future__ import annotations

from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_analysis import Shift


class _Splice(list):
    """The children of a helper rule, to be spliced into the rule that uses it."""


class LALRDriver:
    def __init__(self, parser: Lark, callbacks, start: str = "start"):
        table = parser.parser.parser.parser.parse_table
        self.states, self.start, self.end = table.states, table.start_states[start], table.end_states[start]
        self.reductions = {}
        for rule in parser.rules:
            name = rule.origin.name
            if rule.alias:
                how = getattr(callbacks, rule.alias)
            elif name.startswith("_"):
                how = _Splice
            elif rule.options.expand1:
                how = None  # a single child passes through; several go to the rule's callback
                if len(rule.expansion) != 1:
                    how = getattr(callbacks, name)
            else:
                how = getattr(callbacks, name)
            splices = any(symbol.name.startswith("_") for symbol in rule.expansion)
            self.reductions[id(rule)] = (len(rule.expansion), name, how, splices)

    def parse(self, tokens):
        states, reductions = self.states, self.reductions
        state_stack, value_stack = [self.start], []
        end = Token("$END", "", 0, 1, 1)
        for token in _with_end(tokens, end):
            kind = token.type
            while True:
                try:
                    action, arg = states[state_stack[-1]][kind]
                except KeyError:
                    expected = {name for name in states[state_stack[-1]] if name.isupper() or name == "$END"}
                    raise UnexpectedToken(token, expected, state=state_stack[-1]) from None
                if action is Shift:
                    state_stack.append(arg)
                    value_stack.append(token)
                    break
                size, name, how, splices = reductions[id(arg)]
                if size:
                    children = value_stack[-size:]
                    del value_stack[-size:]
                    del state_stack[-size:]
                else:
                    children = []
                if splices:  # a left-recursive helper's list grows in place: copying it each time is quadratic
                    first = children[0]
                    spliced = first if type(first) is _Splice else _Splice((first,))
                    for child in children[1:]:
                        if type(child) is _Splice:
                            spliced.extend(child)
                        else:
                            spliced.append(child)
                    children = spliced
                if how is None:
                    value = children[0]
                elif how is _Splice:
                    value = children if type(children) is _Splice else _Splice(children)
                else:
                    value = how(children)
                state_stack.append(states[state_stack[-1]][name][1])
                value_stack.append(value)
                if token is end and state_stack[-1] == self.end:
                    return value_stack[-1]
        return value_stack[-1]  # pragma: no cover - the loop returns on $END


def _with_end(tokens, end):
    yield from tokens
    yield end
