"""Positions inside inventory expressions: exact where the layout allows, the value's start otherwise."""

from __future__ import annotations

import pytest

from runbookgen.live.positions import InventoryText
from runbookgen.problems import Position


def position(tmp_path, yaml_value: str, expr: str, line: int, col: int) -> tuple[int, int]:
    """Write ``expr: <yaml_value>`` on line 3 and map (line, col) of ``expr`` into the file."""
    path = tmp_path / "runbooks.yaml"
    path.write_text(f"alerts:\n  - queries:\n      - expr: {yaml_value}\n        title: t\n", encoding="utf-8")
    found = InventoryText().position_in(Position(str(path), 3, 15), expr, line, col)
    return found.line, found.col


@pytest.mark.parametrize("yaml_value, expr, at, expected", [
    ("rate(foo[5m])", "rate(foo[5m])", (1, 6), (3, 20)),  # plain
    ('"rate(foo[5m])"', "rate(foo[5m])", (1, 6), (3, 21)),  # double-quoted: one more for the quote
    ("'up{a=''b''} + foo'", "up{a='b'} + foo", (1, 13), (3, 15)),  # '' shifts columns: the value's start
    ('"up{a=\\"b\\"} + foo"', 'up{a="b"} + foo', (1, 13), (3, 15)),  # escapes shift columns too
    ("|\n          up\n            + foo", "up\n  + foo", (2, 5), (5, 15)),  # literal block, second line
    (">\n          up\n          + foo", "up + foo", (1, 6), (3, 15)),  # folded: line breaks moved
])
def test_mapping(tmp_path, yaml_value, expr, at, expected):
    assert position(tmp_path, yaml_value, expr, *at) == expected


def test_unreadable_file_gives_the_value_start(tmp_path):
    value = Position(str(tmp_path / "gone.yaml"), 3, 15)
    assert InventoryText().position_in(value, "up", 1, 1) == value
