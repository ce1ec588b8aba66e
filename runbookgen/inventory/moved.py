"""A model object with its positions moved: ``lines`` further down, and (optionally) into another file.

An alert read again from an excerpt of its file (``incremental.py``) is moved to where it stands in the file,
and the alerts after an edit that added or removed lines are moved by those lines. Every ``Position`` inside
is moved, and the line of each query layout (``Alert.layouts``: ``(style, line, ...)``).
"""

from __future__ import annotations

import dataclasses
from functools import cache

from runbookgen.inventory.positions import PositionsView
from runbookgen.problems import Position


def moved(value, lines: int, files: tuple[str, str] | None = None):
    """``value`` with every position ``lines`` lower; positions in ``files[0]`` named ``files[1]``."""
    if isinstance(value, Position):
        file = files[1] if files and value.file == files[0] else value.file
        return Position(file, value.line + lines, value.col)
    if isinstance(value, tuple):
        return tuple(moved(v, lines, files) for v in value) if value and _holds_positions(value) else value
    if isinstance(value, dict):
        return {k: moved(v, lines, files) for k, v in value.items()}
    if isinstance(value, PositionsView):  # an alert's positions: a view, moved as it is looked up
        return value.moved(lines, files)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copy = object.__new__(type(value))
        for name in _fields(type(value)):
            item = getattr(value, name)
            if name == "layouts":
                item = {k: _moved_layout(v, lines) for k, v in item.items()}
            else:
                item = moved(item, lines, files)
            object.__setattr__(copy, name, item)
        return copy
    return value


def _holds_positions(items: tuple) -> bool:
    """Whether a tuple may hold positions (a tuple of plain strings, like tags or labels, does not)."""
    return not all(isinstance(v, (str, int, float, bool)) or v is None for v in items)


def _moved_layout(layout: tuple, lines: int) -> tuple:
    return (layout[0], layout[1] + lines) + layout[2:] if len(layout) > 1 else layout


@cache
def _fields(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
