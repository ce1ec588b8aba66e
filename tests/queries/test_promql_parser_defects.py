"""Defects of the PromQL parser found by hostile input, each once a crash or a near-hang."""

from __future__ import annotations

import json
import time

from runbookgen.queries import promql
from support import run_cli


def test_a_long_chain_is_read_in_linear_time():
    # The LALR driver copied the growing list of a left-recursive helper rule at every operator: 20,000
    # operators took 17 s (a conformance case), a 256 KiB query minutes. An @ in every operand keeps
    # the query on the LALR parser.
    expr = "+".join(["up@1"] * 30000)
    assert len(expr) < promql.MAX_LENGTH
    started = time.process_time()
    assert promql._analyse(expr, 3).error is None
    assert time.process_time() - started < 15


def test_a_colon_in_a_grouping_label_is_a_finding_not_a_crash(tmp_path):
    # Before: the lexer's label pattern found nothing at ":" and lint ended with a traceback (exit 3).
    (tmp_path / "rules.yaml").write_text(
        'groups: [{name: g, rules: [{alert: A, expr: "sum by (a:b) (x)"}, {alert: B, expr: "x * on(:c) y"}]}]\n',
        encoding="utf-8")
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice: {name: S}\nlint: {rules: [rules.yaml], checks: {missing-runbook: 'off'}}\n",
        encoding="utf-8")
    result = run_cli("lint", "--format", "json", cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.err, result
    messages = {f["alert"]: f["message"] for f in json.loads(result.out)["findings"]}
    assert "unexpected character: ':'" in messages["A"] and "unexpected character: ':'" in messages["B"]
