"""Queries built to break a parser: deep nesting, long operator chains, huge inputs. Each must end as a finding
(exit 1) or a clean verdict, never a crash, a traceback or a hang."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from support import run_cli


def _rule_file(exprs: dict[str, str]) -> dict:
    return {"groups": [{"name": "hostile", "rules": [{"alert": name, "expr": expr} for name, expr in exprs.items()]}]}


def _lint(tmp_path, prometheus: dict[str, str], loki: dict[str, str]):
    (tmp_path / "loki").mkdir()
    (tmp_path / "prom.yaml").write_text(yaml.safe_dump(_rule_file(prometheus)), encoding="utf-8")
    (tmp_path / "loki" / "rules.yaml").write_text(yaml.safe_dump(_rule_file(loki)), encoding="utf-8")
    (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump({
        "version": 1, "service": {"name": "Hostile"},
        "lint": {"rules": ["prom.yaml", "loki:loki/rules.yaml"], "checks": {"missing-runbook": "off"}}}),
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
    "( - 0x1p3 @ start() - vector",  # a sign on a modified number
])
def test_hostile_single_queries_are_values(expr):
    from runbookgen.queries.logql import logql_error
    from runbookgen.queries.promql import promql_problem

    problem = promql_problem(expr)
    assert problem is None or (problem.message and problem.line >= 1 and problem.col >= 1)
    error = logql_error(expr)
    assert error is None or error.message


_WORDS = ["up", "x", "sum", "rate", "(", ")", "[", "]", "{", "}", ",", ":", "5m", "1", "0", "1e400", "0x1p3", '"a"',
          "'b'", "`c`", "=", "!=", "=~", "!~", "==", ">", "</", ">/", "+", "-", "*", "/", "%", "^", "and", "or",
          "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "@",
          "start()", "end()", "step()", "range()", "min_of", "anchored", "smoothed", "fill", "fill_left", "topk",
          "count_values", "limitk", "info", "label_replace", "time()", "vector", "#c\n", "\n", "NaN", "a:b",
          "__name__", "holt_winters", "[5m:]", "[0s]", "|", "|=", "json", "unwrap", "count_over_time"]
_ALL_FLAGS = frozenset({"promql-experimental-functions", "promql-duration-expr", "promql-extended-range-selectors",
                        "promql-binop-fill-modifiers"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=16), st.sampled_from([" ", ""]))
def test_any_sequence_of_query_words_is_a_verdict(words, gap):
    """Found '( - 0x1p3 @ start() - vector', where a sign on a modified number raised TypeError."""
    from runbookgen.queries.logql import logql_error
    from runbookgen.queries.promql import PromQLTarget, normalize_promql, promql_problem, vector_selectors

    query = gap.join(words)
    for target in (PromQLTarget(), PromQLTarget(features=_ALL_FLAGS), PromQLTarget(major=2)):
        problem = promql_problem(query, target)
        assert problem is None or (problem.message and 1 <= problem.line and 1 <= problem.col
                                   and 0 <= problem.offset <= len(query))
    assert normalize_promql(query) is None or vector_selectors(query) is not None
    error = logql_error(query)
    assert error is None or error.message
