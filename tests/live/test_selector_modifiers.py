"""vector_selectors() on our own PromQL parser: modifiers, absence, Grafana variables, and no promql-parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from runbookgen.live.selectors import vector_selectors


def facts(expr: str) -> list[tuple]:
    return [(str(s), s.start, s.offset_seconds, s.at_seconds, s.in_absence) for s in vector_selectors(expr)]


@pytest.mark.parametrize("expr, expected", [
    # a range belongs to the selector, and so do the modifiers after it
    ("foo[5m] offset -1h @ 100", [("foo", 0, -3600.0, 100.0, False)]),
    ("foo @ end() offset 1d", [("foo", 0, 86400.0, None, False)]),
    ("foo offset 1h30m", [("foo", 0, 5400.0, None, False)]),
    ("some_metric[5m] @ 1m", [("some_metric", 0, 0.0, 60.0, False)]),
    ("foo @ 3e-1", [("foo", 0, 0.0, 0.3, False)]),
    # a subquery's modifiers are the subquery's, not its selector's
    ("x[1h:5m] offset 1d", [("x", 0, 0.0, None, False)]),
    ("max_over_time(rate(x[5m])[1h:] @ 100)", [("x", 19, 0.0, None, False)]),
    # absent() reaches every selector inside it, however deep; not one after it
    ('absent(sum(foo{a="b"}) by (x)) + bar', [('foo{a="b"}', 11, 0.0, None, True), ("bar", 33, 0.0, None, False)]),
    ("sum(absent_over_time(a[5m]) or b)", [("a", 21, 0.0, None, True), ("b", 31, 0.0, None, False)]),
    # selectors promql-parser could not read: names that are keywords elsewhere, quoted UTF-8 names
    ('smoothed{job="test"}', [('smoothed{job="test"}', 0, 0.0, None, False)]),
    ('{"my.metric", a="b"}', [('my.metric{a="b"}', 0, 0.0, None, False)]),
    ("sum by (anchored)(some_metric)", [("some_metric", 18, 0.0, None, False)]),
    ('offset{step="1s"}[5m]', [('offset{step="1s"}', 0, 0.0, None, False)]),  # promql-parser put it at 6
])
def test_modifiers_and_absence(expr, expected):
    assert facts(expr) == expected


def test_places_count_in_the_expression_as_written_around_filled_variables():
    expr = "rate(x[$__rate_interval]) * ${__range_s} + [[__interval_ms]] * rate(y[$__interval])\n or z{a=\"$__auto\"}"
    found = vector_selectors(expr)
    assert [(str(s), expr[s.start], s.line, s.col) for s in found] == [
        ("x", "x", 1, 6), ("y", "y", 1, 69), ('z{a="5m"}', "z", 2, 5)]  # filled in strings too, as Grafana does


@pytest.mark.parametrize("expr", ["foo{a=\"x\" or b=\"y\"}", "rate(x[5m]", "sum(", "", "# only a comment",
                                  "foo offset", "foo @", "x[5m] offset (1h"])
def test_what_does_not_parse_has_no_selectors(expr):
    assert vector_selectors(expr) == []


def test_promql_parser_is_not_imported():
    code = ("import sys, runbookgen.live.probe, runbookgen.live.selectors as s; s.vector_selectors('up[5m] offset 1h');"
            "print('promql_parser' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
