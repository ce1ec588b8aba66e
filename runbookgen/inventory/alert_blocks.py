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

_HEADER = re.compile(r"^alerts:[ ]*(?:#[^\n]*)?$", re.MULTILINE)
_OTHER_SPELLING = re.compile(r"^(?:alerts |\"alerts\"|'alerts'|\? )", re.MULTILINE)  # the key written otherwise
_CONTENT = re.compile(r"^( *)[^ \n#]", re.MULTILINE)  # a line that is neither blank nor a comment
_TOP_LEVEL = re.compile(r"^[^ \n#]", re.MULTILINE)
_TOP_LEVEL_NOT_ITEM = re.compile(r"^(?!-(?: |$))[^ \n#]", re.MULTILINE)
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
    """The cut of ``text`` (see the module's docstring); None when it cannot be made with certainty.

    Regular expressions over the whole text, not a loop over its lines: at 10,000 alerts the text has some
    300,000 lines, and this runs on every save."""
    first = _FIRST_MARKER.match(text)
    if "\r" in text or "\t" in text or text.startswith("\ufeff") or _NOT_LOCAL.search(text, first.end() if first else 0):
        return None
    headers = _HEADER.findall(text)
    header = _HEADER.search(text)
    if len(headers) != 1 or _OTHER_SPELLING.search(text):
        return None
    content = _CONTENT.search(text, header.end())
    if content is None:
        return None
    indent = len(content.group(1))
    end = (_TOP_LEVEL_NOT_ITEM if indent == 0 else _TOP_LEVEL).search(text, content.start())
    stop = end.start() if end else len(text)
    region = text[content.start():stop]
    if indent and re.search(rf"^ {{0,{indent - 1}}}[^ \n#]|^ {{{indent}}}(?!-(?: |$))[^ \n#]", region, re.MULTILINE):
        return None  # a line of the list less indented than its items, or one that is not an item
    line = text.count("\n", 0, content.start())
    starts, at = [], 0
    for item in re.finditer(rf"^ {{{indent}}}-(?: |$)", region, re.MULTILINE):
        line += region.count("\n", at, item.start())
        at = item.start()
        starts.append(line)
    if not starts or starts[0] != text.count("\n", 0, content.start()):
        return None
    lines = tuple(text.split("\n"))
    return AlertBlocks(lines, text.count("\n", 0, header.start()), tuple(starts),
                       text.count("\n", 0, stop) if end else len(lines))
