"""Kept PromQL verdicts hold any expression text a run analysed, lone surrogates included, and give it back."""

from __future__ import annotations

from runbookgen.queries import promql


def test_an_expression_no_utf8_can_encode_is_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    odd = 'up{job="\ud800"} == 0'
    promql.forget_verdicts()
    try:
        first = promql.promql_problem(odd)
        promql.keep_verdicts()  # used to raise UnicodeEncodeError and end lint with a traceback
        promql.forget_verdicts()
        promql.load_kept_verdicts()
        assert any(key.endswith(odd) for key in promql._KEPT)
        assert promql.promql_problem(odd) == first
    finally:
        promql.forget_verdicts()
