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

# Every pattern starts at a newline, searched in "\n" + text: a pattern led by a literal is scanned for
# quickly, where one anchored with ^ in multi-line mode is tried at every character (10x slower at 15 MB).
_HEADER = re.compile(r"\nalerts:[ ]*(?:#[^\n]*)?(?=\n|$)")
_OTHER_SPELLING = re.compile(r"\n(?:alerts |\"alerts\"|'alerts'|\? )")  # the key written another way
_CONTENT = re.compile(r"\n( *)[^ \n#]")  # a line that is neither blank nor a comment
_TOP_LEVEL = re.compile(r"\n[^ \n#]")
_TOP_LEVEL_NOT_ITEM = re.compile(r"\n(?!-(?: |\n|$))[^ \n#]")
# A directive or a document marker after the first line: the file is then more than one document to YAML.
_MARKER = re.compile(r"\n(?:%|---|\.\.\.)")
_FIRST_MARKER = re.compile(r"---[ ]*(?:#.*)?\n")  # a document start on the first line is harmless
_ANCHOR_OR_ALIAS = re.compile(r"[&*]")
_BEFORE_NODE = frozenset(" \n[{,:-")  # what may stand before an anchor or alias
_NOT_NAME = frozenset(" \n[]{},")  # what may not follow its indicator


def _ties_items(body: str) -> bool:
    """An anchor or alias anywhere: one item's value may then come from another place of the file. Plain text
    like "a &b" counts too; such inventories are only loaded in full."""
    for found in _ANCHOR_OR_ALIAS.finditer(body):
        at = found.start()
        if body[at - 1] in _BEFORE_NODE and at + 1 < len(body) and body[at + 1] not in _NOT_NAME:
            return True
    return False


@dataclass(frozen=True)
class AlertBlocks:
    """Where the cut falls: line numbers count from 0, offsets are into ``text``."""

    text: str
    header: int  # line of the ``alerts:`` key
    header_at: tuple[int, int]  # offsets of that line's start and end (its newline excluded)
    starts: tuple[int, ...]  # first line of each item
    offsets: tuple[int, ...]  # offset of each item's first line
    end: int  # first line after the list (the number of lines when the list ends the file)
    end_at: int  # its offset (len(text) when the list ends the file)

    def block(self, index: int) -> str:
        stop = self.offsets[index + 1] if index + 1 < len(self.offsets) else self.end_at
        return self.text[self.offsets[index]:stop]

    def blocks(self, first: int, stop: int) -> str:
        """The text of blocks ``first`` to ``stop - 1``, one piece."""
        return self.text[self.offsets[first]:self.offsets[stop] if stop < len(self.offsets) else self.end_at]

    def span(self, index: int) -> tuple[int, int]:
        """The block's first line and the line after its last, counted from 1."""
        stop = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return self.starts[index] + 1, stop + 1

    @property
    def before(self) -> str:
        return self.text[:self.header_at[0]]

    @property
    def header_line(self) -> str:
        return self.text[self.header_at[0]:self.header_at[1]]

    @property
    def after(self) -> str:
        return self.text[self.end_at:]

    def outside(self) -> tuple[str, str, str]:
        """Everything that is not an item: equal for two texts whose edits stayed inside items."""
        return self.before, self.header_line, self.after


def alert_blocks(text: str) -> AlertBlocks | None:
    """The cut of ``text`` (see the module's docstring); None when it cannot be made with certainty.

    Regular expressions over the whole text, not a loop over its lines: at 10,000 alerts the text has some
    300,000 lines, and this runs on every save."""
    first = _FIRST_MARKER.match(text)
    body = "\n" + text  # body[n + 1] is text[n]; a match of "\n..." at body[n] is a line starting at text[n]
    if ("\r" in text or "\t" in text or text.startswith("\ufeff") or _ties_items(body)
            or _MARKER.search(body, first.end() if first else 1)):
        return None
    headers = _HEADER.findall(body)
    header = _HEADER.search(body)
    if len(headers) != 1 or _OTHER_SPELLING.search(body):
        return None
    content = _CONTENT.search(body, header.end())
    if content is None:
        return None
    indent = len(content.group(1))
    end = (_TOP_LEVEL_NOT_ITEM if indent == 0 else _TOP_LEVEL).search(body, content.start() + 1)
    stop = end.start() if end else len(text)  # offsets into text
    region = body[content.start():stop]  # from the newline before the list's first line
    if indent and re.search(rf"\n {{0,{indent - 1}}}[^ \n#]|\n {{{indent}}}(?!-(?: |\n|$))[^ \n#]", region):
        return None  # a line of the list less indented than its items, or one that is not an item
    line = text.count("\n", 0, content.start())
    starts, offsets, at = [], [], 0
    for item in re.finditer(rf"\n {{{indent}}}-(?= |\n|$)", region):
        line += region.count("\n", at, item.start())
        at = item.start()
        starts.append(line)
        offsets.append(content.start() + item.start())
    if not starts or offsets[0] != content.start():
        return None
    header_at = (header.start(), header.end() - 1)
    end_line = text.count("\n", 0, stop) if end else text.count("\n") + 1
    return AlertBlocks(text, text.count("\n", 0, header_at[0]), header_at, tuple(starts), tuple(offsets), end_line,
                       stop)
