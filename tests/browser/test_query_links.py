"""The Explore and Prometheus links of an alert page's queries, as the page's script builds them.

An alert page writes each expression once, in its code block, and its link templates once per page; the
script builds each link from them. These tests hold the built links to the links runbookgen's Python writes
for the same query (byte for byte), over http and from file://, under the site's CSP, for expressions that
quote, escape, wrap lines and leave ASCII; and check that the links are real links (middle-click opens the
query in a new tab) and that the copy button still copies the query exactly.
"""

from __future__ import annotations

import pytest

from browser_helpers import built_site, wait_until_ready
from runbookgen.generate.filters import url
from runbookgen.queries.links import explore_url, explore_window, prometheus_graph_url

GRAFANA = "https://grafana.example.com/g"
PROMETHEUS = "https://prometheus.example.com"
EXPRESSIONS = {
    "plain": 'sum by (code) (rate(http_requests_total{job="api"}[5m]))',
    "quotes and escapes": 'rate(x{path=~"/a\\\\.b|c\'d", q="%2F&#+ ()!*"}[1h]) > 0.5',
    "two lines": 'up{job="api"} == 0\nand on (instance)\nrate(x[10m]) > 1',
    "not ascii": 'count(up{team="équipe-🚀", note="</script><b>"})',
}
LOGQL = '{app="api"} |= "error" | json | line_format "{{.msg}}" [5m]'


def _inventory() -> str:
    queries = "".join(
        f"      - id: q{n}\n        title: {title}\n        datasource: prom\n        expr: {_yaml(expr)}\n"
        for n, (title, expr) in enumerate(EXPRESSIONS.items()))
    steps = "".join(f"      - step: Run {title}.\n        query: q{n}\n" for n, title in enumerate(EXPRESSIONS))
    return f"""version: 1
service:
  name: Shop
  team: shop-sre
grafana:
  url: {GRAFANA}
  org_id: 3
datasources:
  - {{name: prom, type: prometheus, uid: "P/1 é", url: "{PROMETHEUS}"}}
  - {{name: logs, type: loki, uid: L1}}
alerts:
  - name: ShopQueries
    severity: critical
    summary: Queries of every shape.
    expr: {_yaml(EXPRESSIONS["two lines"])}
    for: 20m
    datasource: prom
    queries:
{queries}      - id: logs
        title: Error lines
        datasource: logs
        expr: {_yaml(LOGQL)}
    investigation:
{steps}      - step: Read the logs.
        query: logs
    verification:
      - step: Run it again.
        query: q0
"""


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _expected(expr: str, *, language: str = "promql", kind: str = "explore", uid: str = "P/1 é",
              ds_type: str = "prometheus") -> str:
    window = explore_window(expr, alert_for="20m")
    if kind == "explore":
        return str(url(explore_url(GRAFANA, ds_type, uid, expr, org_id=3, language=language, window=window)))
    return str(url(prometheus_graph_url(PROMETHEUS, expr, range_input=window)))


@pytest.fixture(scope="module")
def shop(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("query-links")
    (folder / "runbooks.yaml").write_text(_inventory(), encoding="utf-8")
    site = built_site(folder)
    yield site
    site.server.stop()


def _links(page) -> dict[str, list[list[str]]]:
    """Each query title's text -> its links as [class, href, data-datasource], in page order."""
    return page.evaluate("""() => {
      const found = {};
      document.querySelectorAll('article .rb-query-title').forEach(title => {
        const name = (title.querySelector('strong') || title).firstChild.textContent.trim();
        (found[name] = found[name] || []).push(Array.from(title.querySelectorAll('a')).map(a =>
          [a.className, a.getAttribute('href'), a.dataset.datasource || '']));
      });
      return found;
    }""")


@pytest.mark.parametrize("how", ["http", "file"])
def test_each_link_is_the_link_python_writes(shop, open_page, how):
    page, recorder = open_page()
    page.goto(shop.server.url("alerts/shopqueries.html") if how == "http" else shop.file_url("alerts/shopqueries.html"))
    wait_until_ready(page)
    links = _links(page)
    for title, expr in EXPRESSIONS.items():
        want = [["rb-explore", _expected(expr), "prom"], ["rb-prometheus", _expected(expr, kind="prometheus"), ""]]
        assert links[title] and all(found == want for found in links[title]), title  # wherever it is named
    assert links["Error lines"][:1] == [[["rb-explore", _expected(LOGQL, language="logql", uid="L1", ds_type="loki"),
                                      "logs"]]]
    assert links["The rule's expression"] == [[["rb-explore", _expected(EXPRESSIONS["two lines"]), "prom"],
                                               ["rb-prometheus", _expected(EXPRESSIONS["two lines"], kind="prometheus"), ""]]]
    assert recorder.take() == []  # no CSP violation, no script error, nothing fetched from elsewhere


def test_a_link_is_a_real_link_that_opens_the_query(shop, open_page):
    """A real <a href>: the browser's own middle-click, "copy link address" and "open in new tab" work on it."""
    page, recorder = open_page()
    page.goto(shop.server.url("alerts/shopqueries.html"))
    wait_until_ready(page)
    link = page.locator("article .rb-query-title", has_text="not ascii").locator("a.rb-explore")
    wanted = _expected(EXPRESSIONS["not ascii"])
    assert link.evaluate("a => a instanceof HTMLAnchorElement && a.getAttribute('href')") == wanted
    with page.expect_request(lambda request: request.url.startswith("https://grafana.example.com/")) as asked:
        link.click()
    assert asked.value.url == wanted  # the browser asks Grafana for exactly this query (the tests refuse it)


def test_the_copy_button_copies_a_query_exactly(shop, open_page):
    page, _ = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shop.server.origin)
    page.goto(shop.server.url("alerts/shopqueries.html"))
    wait_until_ready(page)
    for title in ("two lines", "not ascii"):
        block = page.locator("article li", has=page.locator(f".rb-query-title:has-text('{title}')")).locator("pre").first
        block.hover()
        block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
        page.locator(".md-dialog", has_text="Copied").wait_for(state="visible")
        assert page.evaluate("() => navigator.clipboard.readText()") == EXPRESSIONS[title]


def test_without_javascript_the_queries_read_and_no_dead_link_shows(shop, open_page):
    """The links are built by the page's script: without it the reader still has every query to copy by hand,
    and sees no link text that leads nowhere."""
    page, _ = open_page(java_script_enabled=False)
    page.goto(shop.server.url("alerts/shopqueries.html"))
    text = page.locator("article").inner_text()
    for expr in EXPRESSIONS.values():
        assert expr.split("\n")[0] in text
    assert "Open in Grafana Explore" not in text and "Open in Prometheus" not in text
    assert page.locator("article a[href^='http']").count() == 0
