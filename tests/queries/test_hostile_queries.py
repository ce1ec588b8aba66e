"""Queries built to break a parser: deep nesting, long operator chains, huge inputs. Each must end as a finding
(exit 1) or a clean verdict, never a crash, a traceback or a hang."""

from __future__ import annotations

import json

import pytest
import yaml

from support import run_cli


def _rule_file(exprs: dict[str, str]) -> dict:
    return {"groups": [{"name": "hostile", "rules": [{"alert": name, "expr": expr} for name, expr in exprs.items()]}]}


def _lint(tmp_path, prometheus: dict[str, str], loki: dict[str, str]):
    (tmp_path / "loki").mkdir()
    (tmp_path / "prom.yaml").write_text(yaml.safe_dump(_rule_file(prometheus)), encoding="utf-8")
    (tmp_path / "loki" / "rules.yaml").write_text(yaml.safe_dump(_rule_file(loki)), encoding="utf-8")
    (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump({
        "version": 1, "service": {"name": "Hostile"},
        "lint": {"rules": ["prom.yaml", "loki/rules.yaml"], "checks": {"missing-runbook": "off"}}}),
        encoding="utf-8")
    result = run_cli("lint", "--format", "json", cwd=tmp_path, timeout=120)
    assert result.code == 1 and "Traceback" not in result.err, result
    return {f["alert"]: f["message"] for f in json.loads(result.out)["findings"] if f["code"] in ("RB008", "RB009")}


def test_deep_and_long_queries_are_findings_not_crashes(tmp_path):
    prometheus = {
        "ChainedPlus": " + ".join(["up"] * 5000),  # promql-parser segfaulted from about 4,200
        "ChainedPow": " ^ ".join(["up"] * 5000),  # right-associative: the parser's stack grows, not Python's
        "NestedSum": "sum(" * 600 + "up" + ")" * 600,
        "NestedParens": "(" * 100000 + "up" + ")" * 100000,
        "ValidChain": " + ".join(["up"] * 3000) + " > 0",
        "Broken": " + ".join(["up"] * 3000) + " > ",
    }
    selector = 'count_over_time({app="x"}[5m])'
    loki = {
        "LokiChained": " + ".join([selector] * 600),  # RecursionError from about 500
        "LokiNested": "sum(" * 600 + selector + ")" * 600,
        "LokiValid": "sum(" * 60 + " + ".join([selector] * 60) + ")" * 60 + " > 0",
    }
    found = _lint(tmp_path, prometheus, loki)
    assert "ChainedPlus" not in found and "ChainedPow" not in found and "ValidChain" not in found
    assert "LokiValid" not in found
    assert "nests more than 256 parentheses and brackets deep" in found["NestedSum"]
    assert "nests more than 256 parentheses and brackets deep" in found["NestedParens"]
    assert "unexpected end of input" in found["Broken"]
    assert "more than 256 levels deep" in found["LokiChained"]
    assert "nests more than 256 parentheses and brackets deep" in found["LokiNested"]


@pytest.mark.parametrize("expr", [
    "x" * 300_000,  # over the 256 KiB a PromQL query may have
    '{a="' + "\\" * 3 + '"}',  # an escape at the very end
    "\x00\ud800" + "{" * 300,
    "sum by (" + ", ".join(f"l{n}" for n in range(20000)) + ") (up)",
])
def test_hostile_single_queries_are_values(expr):
    from runbookgen.queries.logql import logql_error
    from runbookgen.queries.promql import promql_problem

    problem = promql_problem(expr)
    assert problem is None or (problem.message and problem.line >= 1 and problem.col >= 1)
    error = logql_error(expr)
    assert error is None or error.message
