"""Dense logic behind the pages: slugs, deep links, and making author text safe Markdown."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from runbookgen.generate.filters import code_inline, fence, md_cell, md_text, safe_link_target, url
from runbookgen.addresses import slugify
from runbookgen.generate.prose import prose_block
from runbookgen.queries.links import explore_url, prometheus_graph_url


@pytest.mark.parametrize("name, slug", [
    ("HighErrorRate", "higherrorrate"),
    ("KubeAPIDown", "kubeapidown"),
    ("disk_space_low", "disk-space-low"),
    ("job:errors:rate5m", "job-errors-rate5m"),
    ("__x__", "x"),
])
def test_slug_is_the_lower_cased_name_with_other_characters_as_dashes(name, slug):
    assert slugify(name) == slug


def test_explore_url_decodes_to_the_exact_query_and_datasource():
    expr = 'sum by (code) (rate(http_requests_total{job="api", code=~"5.."}[5m])) / ignoring(code) group_left x & y #z'
    link = explore_url("https://grafana.example.com/", "prometheus", "P1809F7CD0C75ACF3", expr, org_id=3)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "grafana.example.com", "/explore")
    params = parse_qs(parts.query, strict_parsing=True)
    assert params["orgId"] == ["3"] and params["schemaVersion"] == ["1"]
    pane = next(iter(json.loads(params["panes"][0]).values()))
    assert pane["datasource"] == "P1809F7CD0C75ACF3"
    assert pane["queries"] == [{"refId": "A", "expr": expr,
                                "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}}]
    assert " " not in link and '"' not in link


def test_explore_url_for_loki_and_tempo():
    logql = '{app="api"} |= "timeout" | json | level="error"'
    pane = next(iter(json.loads(parse_qs(urlsplit(
        explore_url("https://g.example.com", "loki", "L1", logql, language="logql")).query)["panes"][0]).values()))
    assert pane["queries"][0]["expr"] == logql
    assert pane["queries"][0]["datasource"] == {"type": "loki", "uid": "L1"}
    traceql = '{ resource.service.name = "api" && status = error }'
    pane = next(iter(json.loads(parse_qs(urlsplit(
        explore_url("https://g.example.com", "tempo", "T1", traceql, language="traceql")).query)["panes"][0]).values()))
    assert pane["queries"][0]["query"] == traceql and pane["queries"][0]["queryType"] == "traceql"


def test_no_explore_link_without_grafana_or_uid():
    assert explore_url("", "prometheus", "uid", "up") == ""
    assert explore_url("https://g.example.com", "prometheus", "", "up") == ""


def test_prometheus_graph_url_decodes_to_the_exact_expression():
    expr = 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/pay"}[5m]))) > 0.5'
    link = prometheus_graph_url("https://prometheus.example.com", expr)
    params = parse_qs(urlsplit(link).query, strict_parsing=True)
    assert link.startswith("https://prometheus.example.com/graph?")
    assert params["g0.expr"] == [expr] and params["g0.tab"] == ["0"]


def test_prose_is_escaped_but_markdown_still_works():
    text = md_text('Restart **now**. <script>alert(1)</script> <img src=x onerror=alert(2)> [docs](https://x.example/a)')
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "**now**" in text and "[docs](https://x.example/a)" in text


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)",
                                    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", " javascript:x",
                                    "javascript:alert((1))", "<javascript:alert(1)>", "\njavascript:alert(1)"])
def test_unsafe_link_targets_are_removed(target):
    assert not safe_link_target(target.strip("<>"))
    for text in (f"[click]({target})", f"[click][ref]\n\n[ref]: {target}", f"- [click][ref]\n\n  [ref]:\n  {target}"):
        assert "href" not in prose_block(text), text  # on a page: not a link at all
        assert "[click]" not in md_text(text), text  # in a downloaded report: no longer link syntax


@pytest.mark.parametrize("target", ["https://x.example", "http://x", "mailto:oncall@x.example", "#anchor", "a.md"])
def test_safe_link_targets_are_kept(target):
    assert safe_link_target(target)
    assert f"]({target})" in md_text(f"[ok]({target})")
    assert f'href="{target}"' in prose_block(f"[ok]({target})")


def test_attribute_lists_cannot_add_event_handlers():
    text = md_text("Hello {: onclick=alert(1) }")
    assert "{" not in text and "}" not in text


def test_table_cells_stay_on_one_line_and_cannot_split_columns():
    assert md_cell("a | b\nc") == "a &#124; b c"


def test_fence_cannot_be_closed_by_the_code_inside():
    block = fence("echo ```\nrm -rf /tmp/x", "bash")
    lines = block.splitlines()
    assert lines[0] == "````bash" and lines[-1] == "````"
    assert fence("up", "promql") == "```promql\nup\n```"
    assert code_inline("a`b") == "``a`b``"


def test_only_http_urls_become_link_targets():
    assert url("javascript:alert(1)") == "#"
    assert url("https://x.example/a b") == "https://x.example/a%20b"


@pytest.mark.parametrize("html_pages", [True, False])
def test_pages_link_to_the_same_address_lint_and_annotate_expect(html_pages):
    """The incident report's alert link and the runbook_url lint checks must be one address."""
    from runbookgen.generate.render import Context, alert_page_path
    from runbookgen.inventory.model import Alert, Inventory, Service
    from runbookgen.problems import Position
    from runbookgen.addresses import runbook_url

    here = Position("runbooks.yaml")
    alert = Alert(name="Checkout_Latency:p99", severity="critical", summary="s", pos=here)
    inv = Inventory(path="runbooks.yaml", service=Service("svc", here), severities=(), alerts=(alert,))
    ctx = Context(inv, site_url="https://runbooks.example.com/svc", html_pages=html_pages)
    expected = runbook_url(alert.name, site_url="https://runbooks.example.com/svc/", html_pages=html_pages)
    assert ctx.absolute_url(alert_page_path(alert)) == expected
    assert expected.endswith("/svc/alerts/checkout-latency-p99.html" if html_pages else "/svc/alerts/checkout-latency-p99/")
