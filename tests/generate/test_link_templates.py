"""A query link cut at its expression (queries/links.link_template) and put together again, as the page's
script does, is the link explore_url or prometheus_graph_url writes: for every corpus query and odd ones."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from runbookgen.queries.links import SLOT, explore_url, link_template, prometheus_graph_url
from test_highlight import HOSTILE, _corpus_queries

EXPRESSIONS = [code for code in HOSTILE if code] + [code for code, _ in _corpus_queries(200)]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_cut_and_joined_again_is_the_same_link(expr):
    for language in ("promql", "logql", "traceql"):
        before, after = link_template(explore_url("https://g.example.com/a b", "loki", "u/1 é", SLOT, org_id=7,
                                                  language=language, window="3h"), "json")
        body = quote(json.dumps(expr)[1:-1], safe="")  # runbookgen.js: percent(jsonBody(expr))
        assert before + body + after == explore_url("https://g.example.com/a b", "loki", "u/1 é", expr, org_id=7,
                                                    language=language, window="3h")
    before, after = link_template(prometheus_graph_url("https://p.example.com", SLOT, range_input="2d"), "raw")
    assert before + quote(expr, safe="") + after == prometheus_graph_url("https://p.example.com", expr, range_input="2d")


def test_a_base_address_that_holds_the_slot_gives_no_template():
    assert link_template(prometheus_graph_url("https://p.example.com/%00", SLOT), "raw") is None
    assert link_template(explore_url("https://g.example.com/%5Cu0000", "prometheus", "P", SLOT), "json") is None
