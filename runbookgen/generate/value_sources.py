"""Where a value shown on a page was written: the inventory line, or the rule file's for rule-file text.

Asked only when a build refuses a page, so it searches instead of indexing every
value of every build.
"""

from __future__ import annotations

import html

from runbookgen.inventory.prose_links import inventory_texts
from runbookgen.problems import Position


def value_position(inventory, shown: str, coverage=None) -> Position:
    """The position of the inventory (or rule-file) text that ``shown`` (escaped plain text) came from."""
    wanted = html.unescape(shown)
    folded = " ".join(wanted.split())
    for text, where in inventory_texts(inventory):
        if text == wanted or " ".join(text.split()) == folded:
            return where
    for name, place in getattr(coverage, "missing", ()) or ():
        if name in (wanted, folded):
            file, _, line = place.rpartition(":")
            return Position(file, int(line) if line.isdigit() else 1, 1)
    return Position(inventory.path, 1, 1)
