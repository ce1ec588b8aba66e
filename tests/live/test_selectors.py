"""vector_selectors(): what each selector matches and where it starts inside the expression."""

from __future__ import annotations

import json
import os
from pathlib import Path


import pytest

from runbookgen.live.selectors import vector_selectors
from runbookgen.queries.promql import vector_selectors as parsed_selectors

CONFORMANCE = Path(os.environ.get("RUNBOOKGEN_CONFORMANCE",
                                  Path(__file__).resolve().parents[3] / "shared" / "conformance"))


def located(expr: str) -> list[tuple[str, str, int, int]]:
    return [(str(s), expr[s.start:s.start + len(s.metric or "{")], s.line, s.col) for s in vector_selectors(expr)]


@pytest.mark.parametrize("expr, expected", [
    ('sum by (job, foo) (rate(foo{a="b"}[5m])) / on(instance) group_left(x) bar',
     [('foo{a="b"}', "foo", 1, 25), ("bar", "bar", 1, 71)]),
    ("sum by (foo)(some_metric) and sum without(and, by)(other)",
     [("some_metric", "some_metric", 1, 14), ("other", "other", 1, 52)]),
    ('{__name__="m", x="1"} + absent(y)', [('m{x="1"}', "{", 1, 1), ("y", "y", 1, 32)]),
    ('topk(3, foo) # a comment naming bar{x="y"}\n + \n  count_values("v", baz{q=~"a{b}"})',
     [("foo", "foo", 1, 9), ('baz{q=~"a{b}"}', "baz", 3, 21)]),
    ("rate(x[$__rate_interval]) / $__range_s > ${__interval_ms} unless on() y offset 5m",
     [("x", "x", 1, 6), ("y", "y", 1, 71)]),
    ('label_replace(up, "dst", "$1", "src", "(.*)")', [("up", "up", 1, 15)]),
    ("max_over_time(foo[1h:5m] @ start()) > bool on() group_right bar",
     [("foo", "foo", 1, 15), ("bar", "bar", 1, 61)]),
    ('"a string {with} braces"', []),
    ("not valid (", []),
])
def test_selectors_and_their_starts(expr, expected):
    assert located(expr) == expected


def test_matchers_offset_and_absence():
    foo, gone = vector_selectors('rate(foo{a=~"x|y", b!="q\\"z"}[5m] offset 1h) + absent_over_time(gone[5m])')
    assert (foo.metric, [str(m) for m in foo.matchers], foo.offset_seconds) == ("foo", ['a=~"x|y"', 'b!="q\\"z"'], 3600)
    assert not foo.in_absence and gone.in_absence
    assert foo.series_match() == '{__name__="foo", a=~"x|y", b!="q\\"z"}'
    # the text sent to the server parses back to the same selector
    assert parsed_selectors(foo.series_match())[0].matchers[2] == ("b", "!=", "q\"z")


@pytest.mark.skipif(not (CONFORMANCE / "promql-cases.json").is_file(), reason="conformance cases not found")
def test_every_selector_of_the_upstream_cases_is_located():
    """Prometheus's own parser test cases: every selector of every valid query is found where it is written."""
    cases = json.loads((CONFORMANCE / "promql-cases.json").read_text(encoding="utf-8"))
    checked, wrong = 0, []
    for case in cases:
        if case["expected"] != "valid":
            continue
        for selector in vector_selectors(case["query"]):
            checked += 1
            head = case["query"][selector.start:] if selector.start is not None else ""
            if not (head.startswith("{") or (selector.metric and head.startswith(selector.metric))):
                wrong.append((case["query"], str(selector)))
    assert checked > 1000 and wrong == []


def test_deep_nesting_does_not_exhaust_the_stack():
    deep = "(" * 1500 + "up" + ")" * 1500  # deeper than Python's recursion limit
    chain = "up" + " + up" * 1500
    # the PromQL check refuses nesting that deep (a finding of its own), so nothing is asked about it
    assert vector_selectors(deep) == []
    assert [s.col for s in vector_selectors("(" * 200 + "up" + ")" * 200)] == [201]
    assert len(vector_selectors(chain)) == 1501


def test_at_modifier_pins_the_time():
    fixed, start, plain = vector_selectors("foo @ 1609746000 offset 5m + bar @ start() + baz")
    assert (fixed.at_seconds, fixed.offset_seconds) == (1609746000.0, 300.0)
    assert start.at_seconds is None and plain.at_seconds is None


def test_at_before_1970_does_not_panic(capfd):
    (selector,) = vector_selectors("foo @ -100")
    assert selector.at_seconds == -100.0  # as Prometheus reads it: 100 s before 1970 (promql-parser showed 0)
    assert "panicked" not in capfd.readouterr().err
