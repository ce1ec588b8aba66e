"""Numbers and durations are remembered by their text (a rule file repeats "5m" and "0.05" thousands of
times): the verdict on a query never depends on what was read before it, for valid literals and broken ones."""

from __future__ import annotations

import pytest

from runbookgen.queries import promql
from runbookgen.queries.promql import promql_error

QUERIES = ["rate(x[5m]) > 0.05", "x[300000000y]", "x[5m] offset 1y", "x > 0x1F", "x > 0_1", "x > 1e400",
           "x > " + "9" * 5000, "x[" + "9" * 5000 + "s]", "x > 1__0", "x > 08", "x > 07", "x[1.5m]", "x[0x10]"]


@pytest.mark.parametrize("order", [QUERIES, QUERIES[::-1], QUERIES * 2])
def test_a_literal_reads_the_same_whatever_came_before(order):
    alone = {}
    for query in QUERIES:
        promql.forget_verdicts()
        alone[query] = promql_error(query)
    promql.forget_verdicts()
    assert [promql_error(q) for q in order] == [alone[q] for q in order]
    assert alone["rate(x[5m]) > 0.05"] is None and alone["x > 1__0"] is not None


@pytest.mark.parametrize("digits", [25, 400, 4301])
@pytest.mark.parametrize("shape", ["x[{}s]", "x[5m:{}s]", "x offset {}s", "rate(x[{}m])"])
def test_a_duration_of_any_length_is_a_verdict_not_a_crash(shape, digits):
    """More digits than a float holds (about 310) ended lint with a traceback (OverflowError; past 4,300
    digits, ValueError): it is out of range, as a 25-digit duration is."""
    promql.forget_verdicts()
    assert promql_error(shape.format("9" * digits)) == "duration out of range"


def test_a_rule_with_a_huge_duration_is_a_finding(tmp_path):
    from support import run_cli

    (tmp_path / "rules.yaml").write_text("groups:\n  - name: g\n    rules:\n      - alert: Huge\n"
                                         f"        expr: rate(x[{'9' * 5000}s]) > 0\n")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: S\n  escalation:\n    - name: On-call\n"
                                            "lint:\n  rules: [rules.yaml]\nalerts: []\n")
    result = run_cli("lint", cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.code == 1 and "duration out of range" in result.out and "Traceback" not in result.err, result
