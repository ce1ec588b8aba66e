"""How far back Explore and Prometheus links look: fitted to the alert, or the inventory's explore_range.

Unit tests of the window, then built pages whose links are decoded as a browser would."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from runbookgen.durations import parse_duration
from runbookgen.queries.links import (MAX_WINDOW, MIN_WINDOW, WINDOW_FACTOR, explore_url, explore_window,
                                      longest_range, prometheus_graph_url)
from support import run_cli


def _seconds(window: str) -> int:
    return int(parse_duration(window).total_seconds())


@pytest.mark.parametrize("expr, seconds", [
    ("up", 0),
    ("rate(x[5m])", 300),
    ("rate(x[5m]) / rate(y[1h30m])", 5400),
    ("max_over_time(rate(x[5m])[2h:1m])", 7200),  # a subquery's range
    ('rate(x{path=~"/a[0-9]+", q="[9d]"}[1m])', 60),  # brackets inside strings are no ranges
    ("count_over_time({app=`a[7d]`} |= \"[3w]\" [10m])", 600),
    ("x[1h] offset 3d", 3600),
])
def test_longest_range(expr, seconds):
    assert longest_range(expr) == seconds


@pytest.mark.parametrize("expr, alert_for, explicit", [
    ("up", "", ""), ("up", "2m", ""), ("rate(x[5m])", "30m", ""), ("rate(x[6h])", "", ""),
    ("up", "1h30m", ""), ("rate(x[30d])", "", ""), ("up", "", "90m"), ("rate(x[5m])", "1d", "15m"),
])
def test_window_fits_the_alert_within_bounds_unless_written(expr, alert_for, explicit):
    window = explore_window(expr, alert_for=alert_for, explicit=explicit)
    assert re.fullmatch(r"[0-9]+[smhdw]", window), window  # one unit: Grafana and Prometheus both read it
    if explicit:
        assert _seconds(window) == _seconds(explicit)
    else:
        span = max(_seconds(alert_for) if alert_for else 0, longest_range(expr))
        assert _seconds(window) == min(max(WINDOW_FACTOR * span, MIN_WINDOW), MAX_WINDOW)


def test_window_of_a_fraction_of_a_second_rounds_up():
    assert explore_window("up", explicit="1500ms") == "2s"


def _explore_range(link: str) -> dict:
    pane = next(iter(json.loads(parse_qs(urlsplit(link).query)["panes"][0]).values()))
    return pane["range"]


def test_explore_and_graph_links_carry_the_window():
    link = explore_url("https://g.example.com", "prometheus", "P", "up", window="2h")
    assert _explore_range(link) == {"from": "now-2h", "to": "now"}
    graph = prometheus_graph_url("https://p.example.com", "up", range_input="2h")
    assert parse_qs(urlsplit(graph).query)["g0.range_input"] == ["2h"]


INVENTORY = """\
version: 1
service:
  name: Shop
  team: shop-sre
grafana:
  url: https://grafana.example.com
datasources:
  - name: prometheus
    type: prometheus
    uid: prom
    url: https://prometheus.example.com
alerts:
  - name: ShopDown
    severity: critical
    summary: The shop is down.
    expr: up{job="shop"} == 0
    for: 2m
    queries:
      - title: Is the shop up?
        expr: up{job="shop"}
  - name: ShopErrors
    severity: critical
    summary: Errors.
    expr: sum(rate(shop_errors_total[5m])) > 1
    for: 30m
    queries:
      - title: Errors per second
        expr: sum(rate(shop_errors_total[5m]))
      - title: Errors over a day
        expr: sum(rate(shop_errors_total[6h]))
  - name: ShopSlow
    severity: warning
    summary: Slow.
    expr: latency > 1
    for: 5m
    explore_range: 12h
    queries:
      - title: Latency
        expr: latency
      - title: Latency, last quarter hour
        expr: latency
        explore_range: 15m
"""

_TITLE = re.compile(r'<span class="rb-query-title" data-q="[^"]*" data-t="(?P<t>[0-9 ]+)"[^>]*>(?:Run )?(?:<strong>)?'
                    r'(?P<title>[^<]+?)(?:</strong>)?(?: \(shown above\))?</span>')
_TABLE = re.compile(r'<div class="rb-link-table" hidden data-links="(?P<json>[^"]*)"></div>')


def _links(page: str) -> dict[str, tuple[str, str]]:
    """Each query's title -> (Explore 'from', Prometheus range_input), as decoded from the links the page's
    script builds: its link templates (the page's table) around an expression."""
    table = json.loads(html.unescape(_TABLE.search(page).group("json")))
    found = {}
    for match in _TITLE.finditer(page):
        links = {table[int(n)][0]: table[int(n)][1] + "x" + table[int(n)][2] for n in match.group("t").split()}
        explore = _explore_range(html.unescape(links["explore"]))
        assert explore["to"] == "now"
        prom = parse_qs(urlsplit(html.unescape(links["prometheus"])).query)["g0.range_input"][0]
        found.setdefault(match.group("title"), set()).add((explore["from"], prom))
    return {title: ranges.pop() for title, ranges in found.items() if len(ranges) == 1 or pytest.fail(title)}


def test_built_pages_links_fit_each_alert(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    result = run_cli("build", "--docs-dir", "md", cwd=tmp_path)
    assert result.code == 0, result
    page = lambda name: (tmp_path / "md" / "alerts" / name).read_text(encoding="utf-8")  # noqa: E731
    assert _links(page("shopdown.md")) == {  # for: 2m -> the one-hour floor
        "The rule's expression": ("now-1h", "1h"), "Is the shop up?": ("now-1h", "1h")}
    assert _links(page("shoperrors.md")) == {  # for: 30m -> 2h; a 6h range -> 24h
        "The rule's expression": ("now-2h", "2h"), "Errors per second": ("now-2h", "2h"),
        "Errors over a day": ("now-1d", "1d")}
    assert _links(page("shopslow.md")) == {  # the alert's explore_range, and a query's own
        "The rule's expression": ("now-12h", "12h"), "Latency": ("now-12h", "12h"),
        "Latency, last quarter hour": ("now-15m", "15m")}


def test_an_explore_range_that_is_no_duration_is_an_error_at_its_line(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(INVENTORY.replace("explore_range: 15m", "explore_range: 15 minutes"))
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2, result
    line = INVENTORY.splitlines().index("        explore_range: 15m") + 1
    assert re.search(rf"runbooks\.yaml:{line}:\d+: .*duration", result.err), result.err
    assert "Traceback" not in result.err
