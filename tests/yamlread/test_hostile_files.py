"""Hostile YAML through `runbookgen validate` and `runbookgen lint`, as an inventory and as a rule file.

Each is a clear problem at ``file:line:col`` with exit 2, never a traceback, an internal error or a
hang; a BOM and CRLF line ends are read as the text they hold, with positions that count as an editor does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runbookgen.yamlread.limits import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from support import run_cli

GOOD = "version: 1\nservice:\n  name: Demo\n  escalation: [{name: Demo on-call}]\n"
HANG = 60  # seconds: far more than any of these takes when defended


def _bomb() -> bytes:
    text = 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for n in range(1, 9):
        text += f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n"
    return text.encode()


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:  # sparse: the size is refused before a byte is read
        handle.truncate(MAX_FILE_BYTES + 1)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


HOSTILE = {  # name: (content or a function that makes the file, where, words)
    "alias bomb": (_bomb(), "6:10", f"aliases expand this file to more than {MAX_ALIAS_VALUES:,} values"),
    "recursive alias": (b"version: 1\nservice: &s {name: Demo, again: *s}\n", "2:33",
                        "alias *s is inside the node its anchor &s names"),
    "deep nesting": (b"version: 1\nx: " + b"[" * 80 + b"]" * 80 + b"\n", f"2:{4 + MAX_DEPTH}",
                     f"nested more than {MAX_DEPTH} levels deep"),
    "undefined alias": (b"version: 1\nservice: *nowhere\n", "2:10", "found undefined alias 'nowhere'"),
    "huge file": (_huge, "1:1", f"the limit is {MAX_FILE_BYTES:,} bytes"),
    "fifo": (_fifo, "1:1", "FIFO"),
    "invalid UTF-8": (b"version: 1\nservice:\n  name: D\xffmo\n", "3:10", "not valid UTF-8 (byte 0xff)"),
    "UTF-16": ("version: 1\n".encode("utf-16"), "1:1", "UTF-16"),
    "tab indentation": (b"version: 1\nservice:\n\tname: Demo\n", "3:1", "found a tab character"),
    "control character": (b"version: 1\nservice:\n  name: \x07\n", "3:9", "character U+0007 is not allowed"),
    "unclosed quote": (b'version: 1\nservice:\n  name: "Demo\n', "4:1", "unexpected end of stream"),
}


def _write(path: Path, content) -> None:
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)


def _check(result, file: str, where: str, words: str) -> None:
    assert "Traceback" not in result.err + result.out and "internal error" not in result.err, result
    assert result.code == 2, result
    assert f"{file}:{where}: " in result.err and words in result.err, result


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_hostile_inventory_is_a_clear_problem(tmp_path, command, name):
    content, where, words = HOSTILE[name]
    _write(tmp_path / "runbooks.yaml", content)
    result = run_cli(command, cwd=tmp_path, timeout=HANG)
    _check(result, "runbooks.yaml", where, words)


@pytest.mark.parametrize("name", sorted(set(HOSTILE) - {"fifo"}))  # a FIFO rule file: tests/lint/test_lint_hostile.py
def test_a_hostile_rule_file_is_a_clear_problem(tmp_path, name):
    content, where, words = HOSTILE[name]
    (tmp_path / "runbooks.yaml").write_text(GOOD)
    _write(tmp_path / "rules.yaml", content)
    result = run_cli("lint", "--rules", "rules.yaml", cwd=tmp_path, timeout=HANG)
    _check(result, "rules.yaml", where, words)


def test_a_duplicate_key_is_a_clear_problem_in_either_file(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(GOOD + "service: {name: Other}\n")
    for command in ("validate", "lint"):
        result = run_cli(command, cwd=tmp_path, timeout=HANG)
        _check(result, "runbooks.yaml", "5:1", "duplicate key 'service' (first defined at line 2)")
    (tmp_path / "runbooks.yaml").write_text(GOOD)
    (tmp_path / "rules.yaml").write_text("groups:\n  - name: g\n    rules: []\n    name: h\n")
    result = run_cli("lint", "--rules", "rules.yaml", cwd=tmp_path, timeout=HANG)
    assert "Traceback" not in result.err and result.code == 1, result  # a finding of the invalid-rule check
    assert "rules.yaml:4:5: error RB015 duplicate key 'name' (first defined at line 2)" in result.out, result


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_a_bom_and_crlf_line_ends_are_read_with_positions_as_an_editor_counts_them(tmp_path, newline, bom):
    text = bom + GOOD.replace("\n", newline)
    (tmp_path / "runbooks.yaml").write_bytes(text.encode())
    assert run_cli("validate", cwd=tmp_path, timeout=HANG).code == 0
    (tmp_path / "runbooks.yaml").write_bytes((text + "  sumary: x" + newline).encode())
    for command in ("validate", "lint"):
        result = run_cli(command, cwd=tmp_path, timeout=HANG)
        _check(result, "runbooks.yaml", "5:3", "unknown key 'sumary'")


def test_a_file_of_more_values_than_the_limit_is_refused_before_it_fills_memory(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(GOOD)
    (tmp_path / "many.yaml").write_text("x: [" + "1," * MAX_VALUES + "1]\n")
    assert (tmp_path / "many.yaml").stat().st_size < MAX_FILE_BYTES
    result = run_cli("lint", "--rules", "many.yaml", cwd=tmp_path, timeout=HANG)
    _check(result, "many.yaml", "1:4", f"more than {MAX_VALUES:,} keys and values")  # counted as the list ends
    (tmp_path / "runbooks.yaml").write_text(GOOD + "x: [" + "1," * MAX_VALUES + "1]\n")
    result = run_cli("validate", cwd=tmp_path, timeout=HANG)
    _check(result, "runbooks.yaml", f"5:{5 + 2 * (MAX_VALUES - 14)}", f"more than {MAX_VALUES:,} keys and values")
