"""How a place inside a string scalar maps back to the file (for errors inside queries and expressions)."""

from __future__ import annotations

from runbookgen.problems import Position


def scalar_layout(text: str, pos: Position) -> tuple:
    """How a position inside the string scalar that starts at ``pos`` maps back to the file: ("|", line of
    the indicator, indentation) for a literal block, ("", line, column of the first character) for a
    scalar on one line; () where escapes or folding make the mapping unknown."""
    return scalar_layout_in(text.split("\n"), pos)


def scalar_layout_in(lines: list[str], pos: Position, style: str = "") -> tuple:
    """``scalar_layout`` on the text already split at newlines: a caller with many scalars splits it once
    (splitting per scalar made loading a large inventory quadratic in its size). ``style`` is the
    scalar's block style ("|" or ">") when the caller knows it from the parser (a tag or an anchor may
    stand before the indicator), "" to read it from the text."""
    if pos.line > len(lines):
        return ()
    line = lines[pos.line - 1]
    first = line[pos.col - 1:pos.col]
    if style == "|" or (not style and first == "|"):
        body = next_text_line(lines, pos.line)
        return ("|", pos.line, len(body) - len(body.lstrip(" ")))
    if style or first == ">" or (first == '"' and "\\" in line) or (first == "'" and "''" in line):
        return ()
    return ("", pos.line, pos.col + (first in "\"'"))


def next_text_line(lines: list[str], start: int) -> str:
    """The first line from index ``start`` on that is not blank; "" when there is none (no copy of the rest)."""
    for index in range(start, len(lines)):
        if lines[index].strip():
            return lines[index]
    return ""


def position_in_scalar(layout: tuple, start: Position, line: int, col: int) -> Position:
    """The file position of ``line``:``col`` (1-based) inside a scalar laid out as ``layout`` says."""
    if not layout:
        return start
    style, first, offset = layout
    if style == "|":
        return Position(start.file, first + line, offset + col)
    if line == 1:
        return Position(start.file, first, offset + col - 1)
    return start
