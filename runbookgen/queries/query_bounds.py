"""Limits checked before any parser sees a query, so that no query can exhaust time, memory or the stack.

``bounds_problem`` answers with a message and the offset it points at, or None. The nesting depth counts
open ``(``, ``[`` and ``{`` outside string literals and comments; the parsers do not recurse, but what
reads their results may, and no real query nests anywhere near this deep.
"""

from __future__ import annotations

import re

MAX_DEPTH = 256
_INTERESTING = re.compile(r"[(\[{)\]}\"'`#]")


def bounds_problem(expr: str, max_length: int, upstream: str) -> tuple[str, int] | None:
    if len(expr) > max_length:
        return (f"the query is {len(expr):,} characters long; {upstream} accepts at most {max_length:,}",
                max_length)
    if len(expr) <= MAX_DEPTH or expr.count("(") + expr.count("[") + expr.count("{") <= MAX_DEPTH:
        return None  # too few openers to nest that deep
    depth, i, n = 0, 0, len(expr)
    while True:
        match = _INTERESTING.search(expr, i)
        if match is None:
            return None
        ch, i = match.group(0), match.start()
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                return (f"the query nests more than {MAX_DEPTH} parentheses and brackets deep; it is not "
                        "checked further", i)
        elif ch in ")]}":
            depth -= 1
        elif ch == "#":
            end = expr.find("\n", i)
            i = n if end < 0 else end
            continue
        else:
            i = _string_end(expr, i)
            continue
        i += 1


def _string_end(expr: str, i: int) -> int:
    quote, i = expr[i], i + 1
    while i < len(expr):
        if expr[i] == quote:
            return i + 1
        i += 2 if expr[i] == "\\" and quote != "`" else 1
    return len(expr)
