"""The inventory's text cut at its alerts: the lines before the ``alerts:`` list, one block of lines per
list item, and the lines after the list.

The cut is made on the text alone, so it is only a guess at where the items are; ``inventory/incremental.py``
trusts a cut only after a full load of the same text placed every alert in its own block, and checks every
block it reads again by loading it. Anything the cut cannot place with certainty (a list in flow style, a
second ``alerts:`` line, document markers or directives, anchors and aliases that tie one item to another,
tabs or carriage returns) gives None, and the caller loads the whole inventory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALERTS_KEY = re.compile(r"alerts:[ ]*(?:#.*)?")
# An anchor or alias, a tag directive or a document marker anywhere: one item's value may then come from
# another place of the file, or the file is read as more than one document. Plain text like "a & b" or
# "2 * 3" matches too; such inventories are only loaded in full.
_NOT_LOCAL = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s\[\]{},]|^(?:%|---|\.\.\.)", re.MULTILINE)
_FIRST_MARKER = re.compile(r"---[ ]*(?:#.*)?\n")  # a document start on the first line is harmless


@dataclass(frozen=True)
class AlertBlocks:
    lines: tuple[str, ...]  # the text's lines, each without its newline
    header: int  # index of the ``alerts:`` line
    starts: tuple[int, ...]  # index of the first line of each item
    end: int  # index of the first line after the list (len(lines) when the list ends the file)

    def block(self, index: int) -> tuple[str, ...]:
        stop = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return self.lines[self.starts[index]:stop]

    def span(self, index: int) -> tuple[int, int]:
        """The block's first line and the line after its last, counted from 1."""
        stop = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return self.starts[index] + 1, stop + 1

    @property
    def before(self) -> tuple[str, ...]:
        return self.lines[:self.header]

    @property
    def after(self) -> tuple[str, ...]:
        return self.lines[self.end:]

    def outside(self) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        """Everything that is not an item: equal for two texts whose edits stayed inside items."""
        return self.before, self.lines[self.header], self.after


def alert_blocks(text: str) -> AlertBlocks | None:
    """The cut of ``text`` (see the module's docstring); None when it cannot be made with certainty."""
    first = _FIRST_MARKER.match(text)
    if "\r" in text or "\t" in text or text.startswith("\ufeff") or _NOT_LOCAL.search(text, first.end() if first else 0):
        return None
    lines = tuple(text.split("\n"))
    headers = [n for n, line in enumerate(lines) if _ALERTS_KEY.fullmatch(line)]
    if len(headers) != 1 or any(line.startswith(("alerts ", '"alerts"', "'alerts'", "? ")) for line in lines):
        return None
    header = headers[0]
    starts: list[int] = []
    indent = None
    at = header + 1
    while at < len(lines):
        line = lines[at]
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            at += 1
            continue
        depth = len(line) - len(body)
        if indent is None:
            indent = depth
        if depth < indent:
            break
        if depth == indent:
            if body == "-" or body.startswith("- "):
                starts.append(at)
            elif indent == 0:
                break
            else:
                return None
        at += 1
    if not starts:
        return None
    return AlertBlocks(lines, header, tuple(starts), at)
