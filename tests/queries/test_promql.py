"""The PromQL entry point: where errors are and what was expected, selectors, normal forms, feature flags."""

from __future__ import annotations

import json
import textwrap

import pytest
import yaml

from runbookgen.queries.promql import (PromQLTarget, VectorSelector, normalize_promql, promql_error, promql_problem,
                                       vector_selectors)
from support import run_cli


@pytest.mark.parametrize("expr, message, line, col", [
    ("sum (some_metric) without (test) by (test)", "unexpected 'by'", 1, 34),
    ("foo{a=b}", "unexpected identifier 'b'; expected string", 1, 7),
    ('sum(rate(x[5m])) by (job) > bogus(1)', "unknown function with name 'bogus'", 1, 29),
    ("rate(\n  x\n)", "expected type range vector in call to function 'rate', got instant vector", 2, 3),
    ("up\n  and on(job) group_left(job) down", "label 'job' must not occur in ON and GROUP clause at once", 2, 7),
    ("x[5m] + 1", "binary expression must contain only scalar and instant vector types", 1, 1),
    ("1 == 1", "comparisons between scalars must use BOOL modifier", 1, 3),
    ("foo[0m]", "duration must be greater than 0", 1, 5),
    ('x{a="\\q"}', "unknown escape sequence \\q", 1, 6),
    ("x # comment (\n  + (", "unclosed left parenthesis", 2, 6),
    ("topk(x, y)", "expected type scalar in aggregation parameter, got instant vector", 1, 6),
    ("1e400", "number out of range", 1, 1),
    ("h </ 1 and 1", "set operator 'and' not allowed in binary scalar expression", 1, 1),
])
def test_errors_say_where_and_what(expr, message, line, col):
    problem = promql_problem(expr)
    assert problem is not None and message in problem.message, problem
    assert (problem.line, problem.col) == (line, col)
    assert expr[:problem.offset].count("\n") + 1 == line


def test_syntax_errors_name_what_was_expected():
    problem = promql_problem("sum by (job (x)")
    assert problem.message.startswith("unexpected '('; expected") and "')'" in problem.expected
    assert promql_problem("up ==").message.startswith("unexpected end of input; expected")


def test_prometheus_3_syntax():
    for expr in ("h </ 0.5", "h >/ on (label) other", 'sum by ("foo bar")({"some.metric"})', "anchored{job='x'}",
                 "sum by (smoothed) (x)", 'label_replace(up, "a", "$1", "b", `(\\d+)`)', "foo offset 5m - on (a) bar", "1m + 1",
                 "some_metric[5m] @ 1m", "0x1A + 1_000"):
        assert promql_error(expr) is None, expr
    assert "renamed double_exponential_smoothing" in promql_error("holt_winters(x[5m], 0.5, 0.5)")
    assert promql_error("holt_winters(x[5m], 0.5, 0.5)", PromQLTarget(major=2)) is None


def test_experimental_syntax_needs_its_flag():
    flags = {"a anchored": "promql-extended-range-selectors", "a + fill(0) b": "promql-binop-fill-modifiers",
             "x[5m + 1m]": "promql-duration-expr", "limitk(2, x)": "promql-experimental-functions",
             "info(x)": "promql-experimental-functions"}
    for expr, flag in flags.items():
        assert f"--enable-feature={flag}" in promql_error(expr)
        assert promql_error(expr, PromQLTarget(features=frozenset({flag}))) is None


def test_vector_selectors():
    expr = 'sum(rate(http_total{code=~"5..", job="api"}[5m])) / on (job) group_left up\n  or {__name__="x", a!="b"}'
    found = vector_selectors(expr)
    assert found == [
        VectorSelector("http_total", (("code", "=~", "5.."), ("job", "=", "api")), 9, 43),
        VectorSelector("up", (), 72, 74),
        VectorSelector("x", (("__name__", "=", "x"), ("a", "!=", "b")), 80, 102),
    ]
    assert [expr[s.start:s.end] for s in found] == ['http_total{code=~"5..", job="api"}', "up",
                                                   '{__name__="x", a!="b"}']
    assert vector_selectors("sum(") == []


@pytest.mark.parametrize("one, other", [
    ('sum(rate(x{b="1",a="2"}[5m])) by (job)', 'sum by (job) (\n  rate(x{a="2", b="1"}[5m])\n)'),
    ("sum by (b, a) (x)", "sum by (a,b) (x) # same labels"),
    ("up == 0", "up==0"),
    ("x > bool 1", "x  >  BOOL  1"),
])
def test_normal_form_ignores_what_does_not_change_meaning(one, other):
    assert normalize_promql(one) == normalize_promql(other) is not None


@pytest.mark.parametrize("one, other", [
    ("up == 0", "up == 1"), ("sum by (a) (x)", "sum without (a) (x)"), ("x[5m]", "x[10m]"),
    ("a - b", "b - a"), ('x{a="1"}', 'x{a!="1"}'), ("(a + b) * c", "a + b * c"),
])
def test_normal_form_keeps_what_does(one, other):
    assert normalize_promql(one) != normalize_promql(other)


def _lint(tmp_path, expr_block: str, lint_settings: dict | None = None, fmt: str = "json"):
    (tmp_path / "rules.yaml").write_text(textwrap.dedent("""\
        groups:
          - name: g
            rules:
              - alert: A
                labels: {severity: warning}
                annotations: {runbook_url: "https://example.com/a"}
                expr: |
        """) + textwrap.indent(textwrap.dedent(expr_block), " " * 10), encoding="utf-8")
    checks = {name: "off" for name in ("missing-runbook", "runbook-url-mismatch", "unknown-severity")}
    lint = {"rules": ["rules.yaml"], "checks": checks, **(lint_settings or {})}
    (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump({"version": 1, "service": {"name": "S"}, "lint": lint}),
                                            encoding="utf-8")
    return run_cli("lint", "--format", fmt, cwd=tmp_path)


def test_lint_points_inside_a_block_expression_in_every_format(tmp_path):
    expr = """\
        sum by (job) (
          rate(requests_total[5m])
        ) > on (job) group_left bogus(1)
        """
    found = json.loads(_lint(tmp_path, expr).out)["findings"]
    assert [(f["line"], f["column"], f["message"]) for f in found] == [
        (10, 35, "alert 'A': invalid PromQL: unknown function with name 'bogus'")]
    assert "rules.yaml:10:35: error RB008" in _lint(tmp_path, expr, fmt="text").out
    assert "file=rules.yaml,line=10,col=35" in _lint(tmp_path, expr, fmt="github").out
    region = json.loads(_lint(tmp_path, expr, fmt="sarif").out)["runs"][0]["results"][0]["locations"][0]
    assert region["physicalLocation"]["region"]["startLine"] == 10
    assert region["physicalLocation"]["region"]["startColumn"] == 35
    assert "rules.yaml:10:35" in _lint(tmp_path, expr, fmt="junit").out


def test_the_inventory_names_the_flags_that_are_on(tmp_path):
    off = _lint(tmp_path, "rate(x[5m] anchored)\n")
    assert off.code == 1 and "--enable-feature=promql-extended-range-selectors" in off.out
    on = _lint(tmp_path, "rate(x[5m] anchored)\n", {"prometheus": {"features": ["promql-extended-range-selectors"]}})
    assert on.code == 0, on
    assert _lint(tmp_path, "holt_winters(x[5m], 0.5, 0.5)\n").code == 1
    old = _lint(tmp_path, "holt_winters(x[5m], 0.5, 0.5)\n", {"prometheus": {"version": 2}})
    assert old.code == 0, old
    wrong = _lint(tmp_path, "up\n", {"prometheus": {"features": ["promql-everything"]}})
    assert wrong.code == 2 and "promql-everything" in wrong.err


def test_inventory_queries_point_inside_their_text(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(textwrap.dedent("""\
        version: 1
        service: {name: S}
        lint: {rules: [rules.yaml]}
        alerts:
          - name: A
            severity: warning
            summary: s
            expr: 'sum(rate(x[5m])) > bogus(1)'
            queries:
              - title: block
                expr: |
                  sum by (job) (
                    rate(x)
                  )
              - title: folded
                expr: >
                  sum by (job) (
                    rate(x)
                  )
        """), encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("groups:\n  - name: g\n    rules:\n      - {alert: A, expr: up == 0}\n",
                                         encoding="utf-8")
    result = run_cli("lint", "--format", "json", cwd=tmp_path)
    found = [(f["line"], f["column"], f["message"]) for f in json.loads(result.out)["findings"] if f["code"] == "RB008"]
    assert found == [
        (8, 31, "runbook 'A': expr is not valid PromQL: unknown function with name 'bogus'"),
        (13, 18, "runbook 'A': query 'block' is not valid PromQL: expected type range vector in call to function "
                 "'rate', got instant vector"),
        (16, 15, "runbook 'A': query 'folded' is not valid PromQL: expected type range vector in call to function "
                 "'rate', got instant vector (at line 2, column 8 of the expression)"),  # folded: no exact place
    ]
