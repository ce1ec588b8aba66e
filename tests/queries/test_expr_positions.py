"""Where lint points inside a rule's expression: the exact line and column of the error when the
expression's layout in the file is known (plain, quoted without escapes, literal block), else its start."""

from __future__ import annotations

import json

import pytest

from support import run_cli

INVENTORY = "version: 1\nservice:\n  name: S\n  escalation:\n    - name: On-call\nlint:\n  rules: [rules/]\nalerts: []\n"


def error_at(tmp_path, expr_line: str) -> tuple[int, int]:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(
        "groups:\n  - name: g\n    rules:\n      - record: job:x:sum\n" + expr_line)
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    result = run_cli("lint", "--format", "json", cwd=tmp_path)
    found = [f for f in json.loads(result.out)["findings"] if f["name"] == "invalid-promql"]
    assert len(found) == 1, result
    return found[0]["line"], found[0]["column"]


@pytest.mark.parametrize("expr_line, where", [
    ("        expr: sum(x) +\n", (5, 23)),  # plain: the end of the text
    ('        expr: "sum(x{a=\'b\'}) + )"\n', (5, 32)),  # double-quoted, no escape: the ")"
    ("        expr: |\n          sum(x)\n            + )\n", (7, 15)),  # literal block: line and column inside it
    ('        expr: "sum(x{a=\\"b\\"}) + )"\n', (5, 15)),  # escapes shift columns: the expression's start
    ("        expr: 'sum(x{a=''b''}) + )'\n", (5, 15)),  # doubled quotes shift them too: the start
    ("        expr: >\n          sum(x) + )\n", (5, 15)),  # folded: the start
])
def test_error_positions_inside_expressions(tmp_path, expr_line, where):
    assert error_at(tmp_path, expr_line) == where
