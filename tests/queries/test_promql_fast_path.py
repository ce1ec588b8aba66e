"""The PromQL fast path (queries/promql_fast.py) against the LALR parser, the authority.

Every query goes through both (``promql._analyse(..., fast=False)`` is the LALR parser alone) and must
come out the same: the same tree (the canonical spelling as it stands before it is joined, which nests
as the tree does), error, position, expected tokens, feature flags, and vector selectors with their
positions; and, for the conformance cases, the same verdict under the case's own feature flags.
The queries: every PromQL case of Prometheus's parser tests, every PromQL expression of the shared
corpus's rule files, and queries Hypothesis builds from a small grammar.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbookgen.queries import promql, promql_fast, promql_semantics
from runbookgen.queries.promql_semantics import Semantics
from test_conformance import CONFORMANCE, _flags

CORPUS_RULES = ("prometheus-operator__kube-prometheus/manifests", "openshift__cluster-monitoring-operator/assets",
                "gitlab-com__runbooks/rules", "gitlab-com__runbooks/thanos-rules",
                "VictoriaMetrics__VictoriaMetrics/deployment/docker/rules")


def _shape(text) -> list[str]:
    """A nested canonical spelling as a flat list with brackets for the nesting (no recursion)."""
    out, stack = [], [text]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif item is None:
            out.append(")")
        else:
            out.append("(")
            stack.append(None)
            stack.extend(reversed(item))
    return out


@pytest.fixture
def both(monkeypatch):
    """compare(expr): analyse ``expr`` both ways for Prometheus 3 and 2, assert they agree; gives the
    LALR analysis for Prometheus 3."""
    trees = []
    flatten = promql_semantics.flatten
    monkeypatch.setattr(promql_semantics, "flatten", lambda text: trees.append(_shape(text)) or flatten(text))

    def compare(expr: str):
        first = None
        for major in (3, 2):
            trees.clear()
            lalr = promql._analyse(expr, major, fast=False)
            lalr_tree = list(trees)
            trees.clear()
            fast = promql._analyse(expr, major)
            assert (fast, trees) == (lalr, lalr_tree), expr
            first = first or lalr
        return first

    return compare


def _taken(expr: str) -> bool:
    semantics = Semantics()
    return promql_fast.fast_parse(expr, semantics) is not None


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"no conformance cases at {CONFORMANCE}")
def test_prometheus_parser_cases_agree(both):
    cases = [c for c in json.loads((CONFORMANCE / "promql-cases.json").read_text(encoding="utf-8"))]
    for case in cases:
        analysis = both(case["query"])
        target = promql.PromQLTarget(features=frozenset(_flags(case)))
        bare = promql.PromQLTarget()
        for wanted in (target, bare):
            assert promql._problem_of(case["query"], analysis, wanted) == \
                promql._problem_of(case["query"], promql._analyse(case["query"], 3), wanted), case["id"]
    valid = [c["query"] for c in cases if c["expected"] == "valid" and not c.get("experimental")]
    assert sum(map(_taken, valid)) >= 0.8 * len(valid)  # the fast path reads most valid standard queries


def test_corpus_rule_expressions_agree(both, corpus):
    from runbookgen.rules import read_rules

    ruleset = read_rules([str(corpus / path) for path in CORPUS_RULES if (corpus / path).exists()])
    exprs = sorted({r.expr for r in ruleset.rules if r.dialect == "prometheus" and r.expr})
    assert len(exprs) > 1000
    for expr in exprs:
        both(expr)
    assert sum(map(_taken, exprs)) >= 0.95 * len(exprs)  # real rules are what the fast path is for


# ---- queries from a small grammar ----------------------------------------------------------------------
_gap = st.sampled_from(["", " ", "  ", "\n", " # note\n", "\t", "\r\n"])
_names = st.sampled_from(["up", "http_requests_total", "job:rate5m", "node_cpu_seconds_total", "foo", "offset",
                          "sum", "rate", "and", "by", "inf", "NaN", "bool", "start", "x1", ":a", "on", "é"])
_labels = st.sampled_from(["job", "instance", "le", "__name__", "by", "on", "a_b", "x:y", "é", "0a"])
_text = st.lists(st.sampled_from(list('ab.*"\'\\nté€\n$`') + ["\\x41", "\\u00e9", "\\q", "\\\\", "\\n"]),
                 max_size=6).map("".join)


@st.composite
def _string(draw):
    body = draw(_text)
    quote = draw(st.sampled_from(['"', "'", "`", '"']))
    if quote == "`":
        body = body.replace("`", "")
    return quote + body + quote


_number = st.one_of(st.sampled_from(["1", "0.5", "1e3", "0x1F", "0o17", "1_000", "Inf", "-Inf", "nan", ".5", "08",
                                     "1e999", "5m", "1h30m", "2d", "0"]),
                    st.integers(min_value=0, max_value=10 ** 6).map(str))
_duration = st.sampled_from(["5m", "1h", "30s", "1d", "0s", "1h30m", "300", "1.5", "5m+1m", "step()", "-5m",
                             "(5m)", "2m*2", "1y", "5x", "1ms"])


@st.composite
def _selector(draw):
    name = draw(st.one_of(st.just(""), _names))
    matchers = draw(st.lists(st.tuples(st.one_of(_labels, _string()), st.sampled_from(["=", "!=", "=~", "!~", "=="]),
                                       _string()), max_size=3))
    parts = [f"{label}{draw(_gap)}{op}{draw(_gap)}{value}" for label, op, value in matchers]
    if draw(st.booleans()) and matchers:
        parts[0] = draw(_string())  # a quoted metric name alone
    braces = "{" + draw(_gap) + ",".join(parts) + draw(st.sampled_from(["", ","])) + "}"
    if name and not matchers and draw(st.booleans()):
        return name
    return name + draw(_gap) + braces


def _grouping(draw) -> str:
    labels = draw(st.lists(st.one_of(_labels, _string()), max_size=3))
    return "(" + draw(_gap) + ", ".join(labels) + draw(st.sampled_from(["", ","])) + ")"


@st.composite
def _modifiers(draw, inner):
    expr = draw(inner)
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["range", "subquery", "offset", "at", "anchored"]))
        if kind == "range":
            expr += f"[{draw(_duration)}]"
        elif kind == "subquery":
            expr += f"[{draw(_duration)}:{draw(st.sampled_from(['', '1m', '10s']))}]"
        elif kind == "offset":
            expr += f"{draw(_gap)} offset{draw(_gap)} {draw(_duration)}"
        elif kind == "at":
            expr += f" @ {draw(st.sampled_from(['100', 'start()', 'end()', '-1.5', '1e30']))}"
        else:
            expr += draw(st.sampled_from([" anchored", " smoothed"]))
    return expr


def _combine(inner):
    function = st.sampled_from(["rate", "sum_over_time", "abs", "histogram_quantile", "label_replace", "time",
                                "vector", "round", "clamp", "info", "holt_winters", "no_such", "RATE", "sort_by_label"])
    aggregation = st.sampled_from(["sum", "avg", "count", "topk", "quantile", "count_values", "limitk", "SUM",
                                   "group", "stddev"])
    operator = st.sampled_from(["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "and", "or",
                                "unless", "atan2", "AND", "</", ">/"])

    @st.composite
    def call(draw):
        args = draw(st.lists(inner, max_size=3))
        return draw(function) + draw(_gap) + "(" + ", ".join(args) + draw(st.sampled_from(["", "", ","])) + ")"

    @st.composite
    def aggregate(draw):
        args = ", ".join(draw(st.lists(inner, min_size=1, max_size=2)))
        clause = draw(st.sampled_from(["", " by ", " without ", " BY "]))
        grouping = (clause + _grouping(draw)) if clause else ""
        if draw(st.booleans()):
            return f"{draw(aggregation)}{grouping}{draw(_gap)}({args})"
        return f"{draw(aggregation)}({args}){grouping}"

    @st.composite
    def binary(draw):
        modifier = draw(st.sampled_from(["", "", " bool", " on", " ignoring", " bool on"]))
        if modifier.endswith(("on", "ignoring")):
            modifier += _grouping(draw)
            if draw(st.booleans()):
                modifier += draw(st.sampled_from([" group_left", " group_right"]))
                modifier += _grouping(draw) if draw(st.booleans()) else ""
        if draw(st.integers(0, 9)) == 0:
            modifier += " fill(0)"
        return f"{draw(inner)}{draw(_gap)}{draw(operator)}{modifier}{draw(_gap)}{draw(inner)}"

    @st.composite
    def signed(draw):
        return draw(st.sampled_from(["-", "+", "- -"])) + draw(inner)

    @st.composite
    def paren(draw):
        return "(" + draw(_gap) + draw(inner) + draw(_gap) + ")"

    return st.one_of(call(), aggregate(), binary(), signed(), paren(), _modifiers(inner))


_leaf = st.one_of(_selector(), _number, _string(), _modifiers(_selector()))
_expr = st.recursive(_leaf, _combine, max_leaves=8)
_soup = st.text(alphabet=st.sampled_from(list('a{}()[]"\'`,=~!+-*/^<>@:.0159 #\nmshbyonéx')), max_size=30)


@settings(max_examples=600, deadline=None,  # `both` keeps nothing between examples
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(_expr, _soup))  # queries from the grammar, and characters that make up queries in any order
def test_generated_queries_agree(both, expr):
    both(expr)


# ---- what the fast path leaves to the LALR parser ------------------------------------------------------
@pytest.mark.parametrize("expr", [
    "foo @ 1609746000", "foo offset -5m", "rate(foo[5m + 1m])", "foo[step()]", "a + fill(0) b",
    "foo anchored", "rate(foo[5m] smoothed)", "sum(foo,)", "label_replace(up, 'a', 'b', 'c', 'd',)",
    "foo{a=\"\\q\"}", "sum(", "foo{", "1 +", "foo offset (5m)", "a * on(x) bool b", "{a=~\"x\" b=\"c\"}",
    "a + on b", "sum by (a:b) (x)", "sum(x) by (a) by (b) (y)", "foo[5m:1m:1m]", "x == = y", "é", "0x",
    "x offset 1e999s",
])
def test_what_the_fast_path_declines_the_lalr_parser_answers(both, expr):
    assert not _taken(expr)
    both(expr)


@pytest.mark.parametrize("expr", [
    'foo{a=~"*"}', 'foo{a =~ "(" , b!~"x"}', '{a="b"} > bool 1', 'sum(rate(x[0s]))', 'x[5m:0s]', "1 > 2",
    'x offset 0s', 'foo{a="b"}[5m] offset 1h', "rate(x)", "sum by (a) (x) by (b)", "topk(x, y)",
    "a and on(x) group_left(x) b", "a or on(x) group_right b", "1 and 2", "-\"a\"", "sum()", "count_values(1, x)",
    "histogram_quantile(0.9, x[5m])", "1e999", "foo{}", "{}", '{a=""}', '{a=~".*"}', "sum by ('a', b) (x)",
    "label_join(x, 'a', ',', 'b', 'c')", "holt_winters(x[5m], 0.1, 0.2)", "x[5m][5m]", "(x)[5m]", "x[1y1w]",
])
def test_tricky_queries_the_fast_path_reads_agree(both, expr):
    assert _taken(expr)
    both(expr)


def test_the_fast_path_reads_the_common_shapes():
    for expr in ['sum by (job) (rate(http_requests_total{job="api", code=~"5.."}[5m])) > 0.1',
                 "histogram_quantile(0.99, sum without (instance) (rate(x_bucket[5m] offset 1h)))",
                 "a / on(instance) group_left(node) b", "count(up == bool 1) # comment", "-foo[1h:5m]",
                 "topk(5, x) and ignoring (a) y", "time() - 1e3", '{__name__="up"}', "foo{}"]:
        assert _taken(expr), expr


def test_long_chains_take_the_fast_path_without_recursion(both):
    chained = " + ".join(["up"] * 5000)
    powers = " ^ ".join(["up"] * 5000)
    assert _taken(chained) and _taken(powers)
    assert both(chained).error is None and both(powers).error is None


def test_a_long_chain_with_what_the_fast_path_declines_goes_to_the_lalr_parser(both):
    expr = "+".join(["up@1"] * 2000)
    assert not _taken(expr)
    assert both(expr).error is None


def test_kept_verdicts_are_keyed_by_every_module_of_the_parser():
    # A verdict kept by an older parser must never be read by a newer one: the key digests these sources.
    from importlib import resources

    from runbookgen.queries import kept_verdicts

    folder = resources.files("runbookgen.queries")
    parser_modules = {p.name for p in folder.iterdir()
                      if p.name.startswith("promql") and p.name.endswith((".py", ".lark"))}
    assert "promql_fast.py" in parser_modules and parser_modules <= set(kept_verdicts._SOURCES)
    assert {"lalr_driver.py", "query_bounds.py", "go_strings.py"} <= set(kept_verdicts._SOURCES)
