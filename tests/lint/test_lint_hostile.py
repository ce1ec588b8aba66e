"""Hostile rule files and rule paths through `runbookgen lint`: refused with file:line:col, never a hang or a
traceback. Each case hung, crashed or produced a broken report before it was defended."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lint_helpers import write

from support import run_cli

INVENTORY = "version: 1\nservice:\n  name: Demo\n  escalation: [{name: Demo on-call}]\n"
RULES = "groups:\n  - name: g\n    rules:\n      - alert: AppDown\n        expr: up == 0\n" \
        "        labels: {severity: critical}\n"
HANG = 60  # seconds: far more than any of these takes when defended


@pytest.fixture
def here(tmp_path) -> Path:
    write(tmp_path / "runbooks.yaml", INVENTORY)
    return tmp_path


def lint(here: Path, *args: str):
    result = run_cli("lint", *args, cwd=here, timeout=HANG)
    assert "Traceback" not in result.err and "internal error" not in result.err, result
    return result


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("how", ["named", "in a folder"])
def test_a_fifo_is_refused_not_read(here, how):
    (here / "rules").mkdir()
    write(here / "rules" / "app.yaml", RULES)
    os.mkfifo(here / "rules" / "pipe.yaml")
    result = lint(here, "--rules", "rules/pipe.yaml" if how == "named" else "rules")
    assert result.code == 2, result
    assert result.err.startswith("rules/pipe.yaml:1:1: is a FIFO (named pipe), not a regular file: refused"), result


def test_a_glob_over_symlink_loops_ends_and_reads_each_file_once(here):
    write(here / "rules" / "team" / "app.yaml", RULES)
    os.symlink("..", here / "rules" / "team" / "up")  # two loops: the standard glob branches on both, for ever
    os.symlink("../..", here / "rules" / "team" / "top")
    os.symlink(".", here / "rules" / "self")
    result = lint(here, "--rules", "rules/**/*.yaml", "--format", "json")
    assert result.code == 1, result
    assert '"rule_files": [\n      "rules/team/app.yaml"\n    ]' in result.out, result.out
    assert '"alerting_rules": 1,' in result.out


def _bomb(levels: int = 9) -> str:
    text = 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for n in range(1, levels):
        text += f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n"
    return text


def test_an_alias_bomb_is_refused_at_the_alias(here):
    write(here / "bomb.yaml", "x:\n" + "".join("  " + line + "\n" for line in _bomb().splitlines())
          + "groups: []\n")
    result = lint(here, "--rules", "bomb.yaml")
    assert result.code == 2, result
    assert result.err.startswith("bomb.yaml:7:12: YAML syntax error: aliases expand this file to more than "
                                 "100,000 values (an alias bomb?)"), result


def test_aliases_that_multiply_rules_are_bounded(here):
    """Ten thousand copies of a group of rules written in one line: refused before any check runs."""
    text = "r: &r {alert: A, expr: up == 0, labels: {severity: critical}}\n"
    text += "g: &g {name: g, rules: [" + ", ".join(["*r"] * 100) + "]}\n"
    text += "groups: [" + ", ".join(["*g"] * 1000) + "]\n"
    write(here / "many.yaml", text)
    result = lint(here, "--rules", "many.yaml")
    assert result.code == 2 and "many.yaml:3:" in result.err and "alias bomb" in result.err, result


@pytest.mark.parametrize("text, where, anchor", [
    ("groups: &g\n  - name: a\n    rules: *g\n", "3:12", "g"),
    ("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: &l\n"
     "          severity: critical\n          self: *l\n", "8:17", "l"),
])
def test_a_recursive_anchor_is_refused_with_its_position(here, text, where, anchor):
    write(here / "loop.yaml", text)
    result = lint(here, "--rules", "loop.yaml")
    assert result.code == 2, result
    assert result.err.startswith(f"loop.yaml:{where}: YAML syntax error: alias *{anchor} is inside the node its "
                                 f"anchor &{anchor} names"), result


def test_control_characters_in_alert_names_keep_the_junit_report_valid(here):
    write(here / "rules.yaml", 'groups:\n  - name: g\n    rules:\n      - alert: "Bad\\x01Name\\x1b[31m\\x0b"\n'
                               "        expr: up == 0\n        labels: {severity: critical}\n")
    result = lint(here, "--rules", "rules.yaml", "--format", "junit", "--output", "report.xml")
    assert result.code == 1, result
    root = ET.parse(here / "report.xml").getroot()  # not well-formed XML raised here before
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["Bad\\x01Name\\x1b[31m\\x0b"]
    assert "alert 'Bad\\x01Name\\x1b[31m\\x0b' has no runbook" in root.find(".//failure").get("message")
