"""What the PromQL parser's callbacks build: typed nodes with a canonical spelling (see promql_semantics).

A canonical spelling is kept as nested tuples of strings while the query is parsed, so that building it
costs time in proportion to the query, and is joined once, without recursion, at the end.
"""

from __future__ import annotations


class Node:
    """An expression: its type (scalar, instant vector, ...), what it is ("selector", "call", ...), where it
    starts, its canonical spelling, and what later modifiers must know (offset or @ already set)."""

    __slots__ = ("type", "kind", "start", "text", "offset", "at", "selector", "name", "pending")

    def __init__(self, type_: str, kind: str, start: int, text: str):
        self.type, self.kind, self.start, self.text = type_, kind, start, text
        self.offset = self.at = False
        self.selector = None  # the VectorSelector a selector or range node stands for
        self.name = ""
        self.pending = None  # index in errors of an error that only holds outside info()


def joined(texts) -> list:
    """Texts separated by ", " (parts of a canonical spelling, see ``flatten``)."""
    parts = []
    for text in texts:
        if parts:
            parts.append(", ")
        parts.append(text)
    return parts


def flatten(text) -> str:
    """Join a canonical spelling kept as nested tuples of strings."""
    out, stack = [], [text]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        else:
            stack.extend(reversed(item))
    return "".join(out)


class Duration:
    """A duration expression: its value in seconds (None when it depends on the query, as step() does)."""

    __slots__ = ("value", "start", "text", "plain")

    def __init__(self, value, start: int, text, plain: bool):
        self.value, self.start, self.text, self.plain = value, start, text, plain
