"""The example service's runbook site in a real browser, served over HTTP as the docs host would serve it.

Search, the alert index filters, the alert page (layout, badges, Explore links, copy buttons, incident
report download), dark mode, printing, and screenshots for a human reviewer in test-output/.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from browser_helpers import (OUTPUT, PAGE_TYPES, VIEWPORTS, decode_explore, decode_prometheus, expected_links,
                             query_datasource, search,
                             slug, wait_until_ready)

# What a severity's `color` must look like on its badge (runbookgen.css).
BADGE_COLORS = {"red": "rgb(198, 40, 40)", "orange": "rgb(196, 62, 0)", "yellow": "rgb(249, 168, 37)",
                "blue": "rgb(21, 101, 192)", "green": "rgb(46, 125, 50)", "grey": "rgb(97, 97, 97)"}
ALERT_SECTIONS = ["What it means", "Who to call", "Investigate", "Common causes", "Mitigate", "Resolve",
                  "Related alerts"]


def alert_named(example, name):
    return next(a for a in example.inventory["alerts"] if a["name"] == name)


def open_site_page(open_page, example, name, **options):
    page, recorder = open_page(**options)
    page.goto(example.server.url(name))
    wait_until_ready(page)
    return page, recorder


# ------------------------------------------------------------------------------------------------ search

def test_search_finds_an_alert_by_name_and_opens_it(open_page, example):
    page, recorder = open_site_page(open_page, example, "index.html")
    results = search(page, "CheckoutRedisDown")
    assert results, "no search results for an alert's name"
    assert results[0]["page"] == example.server.url("alerts/checkoutredisdown.html"), results[:3]
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r".*/alerts/checkoutredisdown\.html([?#].*)?$"))
    wait_until_ready(page)
    assert page.locator("article h1").first.inner_text().startswith("CheckoutRedisDown")
    assert recorder.problems() == []


def test_search_finds_an_alert_by_words_of_its_summary(open_page, example):
    alert = alert_named(example, "CheckoutQueueBacklog")
    words = "oldest job has waited"
    assert words in alert["summary"]
    page, _ = open_site_page(open_page, example, "index.html")
    found = [r["page"] for r in search(page, words)]
    assert example.server.url("alerts/checkoutqueuebacklog.html") in found[:5], found


def metrics_only_in_queries(inventory: dict, alert: dict) -> list[str]:
    """Metric names an alert's queries select that its prose never mentions (so only the queries can match)."""
    prose = " ".join(str(alert.get(k, "")) for k in ("summary", "description", "impact"))
    prose += " ".join(str(s) for k in ("investigation", "resolution", "verification") for s in alert.get(k, []))
    metrics = []
    for query in alert.get("queries", []):
        if query_datasource(inventory, query)["type"] != "prometheus":
            continue
        for name in re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{", query["expr"]):
            if name not in prose and name not in metrics:
                metrics.append(name)
    return metrics


def test_search_finds_an_alert_by_a_metric_in_its_queries(open_page, example):
    alert = alert_named(example, "CheckoutDown")
    metric = "envoy_cluster_membership_healthy"
    assert metric in metrics_only_in_queries(example.inventory, alert)
    page, _ = open_site_page(open_page, example, "index.html")
    found = [r["page"] for r in search(page, metric)]
    assert example.server.url("alerts/checkoutdown.html") in found, found


# --------------------------------------------------------------------------------------------- alert index

def index_rows(page) -> list[dict]:
    """The alert index rows the reader can see, with their data attributes."""
    return page.eval_on_selector_all(
        "article table tbody tr", """rows => rows.filter(r => r.offsetParent !== null).map(r => {
            const d = (r.querySelector('.rb-row') || {}).dataset || {};
            return {name: r.cells[0].innerText.trim(), severity: d.severity, owner: d.owner, tags: d.tags,
                    row: !!r.querySelector('.rb-row')};
        })""")


def owner_of(example, alert):
    return alert.get("owner") or example.inventory["service"].get("team", "")


@pytest.mark.parametrize("kind", ["severity", "owner", "tags"])
def test_alert_index_filters_without_leaving_the_page(open_page, example, kind):
    alerts = example.inventory["alerts"]
    values = {
        "severity": Counter(a["severity"] for a in alerts),
        "owner": Counter(owner_of(example, a) for a in alerts),
        "tags": Counter(t for a in alerts for t in a.get("tags", [])),
    }[kind]
    page, recorder = open_site_page(open_page, example, "alerts/index.html")
    url = page.url
    select = page.locator(f".rb-filters select[data-filter='{kind}']")
    assert page.locator(".rb-filters").is_visible()
    assert sorted(o for o in select.locator("option").evaluate_all("os => os.map(o => o.value)") if o) == sorted(values)
    page.evaluate("() => { window.__sameDocument = true; }")
    for value in values:
        select.select_option(value)
        shown = [r for r in index_rows(page) if r["row"]]
        wanted = sorted(a["name"] for a in alerts if {
            "severity": a["severity"] == value, "owner": owner_of(example, a) == value,
            "tags": value in a.get("tags", [])}[kind])
        assert sorted(r["name"].split()[0] for r in shown) == wanted, value
        assert page.locator(".rb-filter-count").inner_text() == f"{len(wanted)} of {len(alerts)} alerts"
    select.select_option("")
    assert len([r for r in index_rows(page) if r["row"]]) == len(alerts)
    assert page.url == url and page.evaluate("() => window.__sameDocument === true"), "the filter left the page"
    assert recorder.problems() == []


def test_alert_index_filters_combine(open_page, example):
    alerts = example.inventory["alerts"]
    page, _ = open_site_page(open_page, example, "alerts/index.html")
    page.locator(".rb-filters select[data-filter='severity']").select_option("P1")
    page.locator(".rb-filters select[data-filter='owner']").select_option("checkout-backend")
    wanted = sorted(a["name"] for a in alerts if a["severity"] == "P1" and a.get("owner") == "checkout-backend")
    assert wanted  # the example has such alerts, else this test proves nothing
    assert sorted(r["name"] for r in index_rows(page) if r["row"]) == wanted
    page.locator(".rb-filters select[data-filter='tags']").select_option("bugs")
    assert [r for r in index_rows(page) if r["row"]] == []
    assert page.locator(".rb-filter-count").inner_text() == f"0 of {len(alerts)} alerts"


def test_alert_index_table_has_no_stray_markup(open_page, example):
    page, _ = open_site_page(open_page, example, "alerts/index.html")
    assert "{:" not in page.locator("article").inner_text()
    assert page.locator("article table:has(.rb-row)").count() == 1  # what the filters and the styles find
    assert len(index_rows(page)) == len(example.inventory["alerts"])


# ---------------------------------------------------------------------------------------------- alert page

def test_alert_page_reads_top_to_bottom_like_a_runbook(open_page, example):
    alert = alert_named(example, "CheckoutDown")
    page, recorder = open_site_page(open_page, example, "alerts/checkoutdown.html")
    h1 = page.locator("article h1").first
    assert h1.inner_text().startswith("CheckoutDown")
    badge = h1.locator(".rb-badge")
    assert badge.inner_text() == "P0 Critical"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == BADGE_COLORS["red"]
    headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.textContent.replace('¶', '').trim())")
    assert headings == ALERT_SECTIONS
    text = page.locator("article").inner_text()
    assert alert["summary"] in text
    # first: how urgent, what to do, who to call, the report
    first = page.locator("article .rb-first-response")
    facts = first.inner_text()
    assert "Respond within 5 minutes" in facts and "pages on-call" in facts and f"owner {alert['owner']}" in facts
    for step in alert["mitigation"]["immediate"]:
        assert step["step"] in facts
    contact = example.inventory["service"]["escalation"][0]
    assert first.locator("a", has_text=contact["name"]).get_attribute("href") == contact["url"]
    assert first.locator("a.rb-incident-download").count() == 1
    # then who to call, in order, with their links and notes
    chain = page.locator("article h2:has-text('Who to call') ~ ol").first.locator(":scope > li")
    contacts = example.inventory["service"]["escalation"]
    assert chain.count() == len(contacts)
    assert chain.nth(0).inner_text().startswith(contacts[0]["name"]) and contacts[0]["notes"] in chain.nth(0).inner_text()
    assert "after 15 minutes" in chain.nth(1).inner_text()
    assert page.locator("article a", has_text="Checkout overview").count() == 1
    for heading in ("Short term", "Long term", "Verify recovery"):
        assert page.locator("article h3", has_text=heading).count() == 1, heading
    assert page.locator("article h3", has_text="Immediately").count() == 0  # they are at the top
    for name in alert["related"]:
        assert page.locator("article h2:has-text('Related alerts') + ul a", has_text=name).count() == 1
    assert recorder.problems() == []


def test_every_severity_badge_has_its_color(open_page, example):
    page, _ = open_site_page(open_page, example, "severities/index.html")
    for severity in example.inventory["severities"]:
        badge = page.locator(f"article table .rb-badge[data-severity='{severity['id']}']")
        assert badge.inner_text() == severity["name"]
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == BADGE_COLORS[severity["color"]]


def test_explore_and_prometheus_links_run_exactly_the_inventory_queries(example, example_crawl):
    """Every Explore link on every alert page, decoded: Grafana base, org, datasource uid and the exact query."""
    inventory = example.inventory
    grafana = inventory["grafana"]["url"].rstrip("/") + "/explore"
    for alert in inventory["alerts"]:
        visit = example_crawl[f"alerts/{slug(alert['name'])}.html"]
        found = set()
        for href, datasource_name in visit.explore:
            link = decode_explore(href)
            assert link["base"] == grafana and link["org"] == str(inventory["grafana"].get("org_id", 1))
            assert link["pane_uid"] == link["uid"]
            source = next(d for d in inventory["datasources"] if d["name"] == datasource_name)
            assert (link["type"], link["uid"]) == (source["type"], source["uid"]), href
            found.add((link["type"], link["uid"], link["expr"]))
        assert found == expected_links(inventory, alert), alert["name"]

        wanted = {expr for kind, _, expr in expected_links(inventory, alert) if kind == "prometheus"}
        assert {decode_prometheus(h)["expr"] for h in visit.prometheus} == wanted, alert["name"]
        sources = {d["url"].rstrip("/") + "/graph" for d in inventory["datasources"] if d["type"] == "prometheus"}
        assert {decode_prometheus(h)["base"] for h in visit.prometheus} <= sources


def test_queries_are_highlighted_as_promql_and_logql(open_page, example):
    page, _ = open_site_page(open_page, example, "alerts/checkoutdown.html")
    promql = page.locator("article .language-promql.highlight code").first
    logql = page.locator("article .language-logql.highlight code").first
    # highlighted means split into token spans with their own colours, not one plain run of text
    for block in (promql, logql):
        assert block.locator("span").count() > 3
        colors = set(block.locator("span").evaluate_all("ss => ss.map(s => getComputedStyle(s).color)"))
        assert len(colors) > 1


def test_copy_button_copies_the_command(open_page, example):
    alert = alert_named(example, "CheckoutDown")
    command = next(s["command"] for s in alert["investigation"] if isinstance(s, dict) and s.get("command"))
    page, recorder = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=example.server.origin)
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    block = page.locator("article h2:has-text('Investigate') ~ ol pre").first
    assert block.locator("code").inner_text().rstrip("\n") == command
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    page.locator(".md-dialog", has_text="Copied").wait_for(state="visible")
    assert page.evaluate("() => navigator.clipboard.readText()") == command
    # and a query, exactly as the inventory writes it, ready to paste into Grafana
    query = alert["queries"][1]
    title = page.locator("article .rb-query-title", has=page.locator(f"strong:text-is('{query['title']}')")).first
    block = title.locator("xpath=ancestor::p[1]/following-sibling::div[1]//pre")
    assert block.locator("code").inner_text().rstrip("\n") == query["expr"]
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    page.wait_for_function("(q) => navigator.clipboard.readText().then(t => t === q)", arg=query["expr"])
    assert recorder.problems() == []


def test_every_code_block_has_a_copy_button(open_page, example):
    page, _ = open_site_page(open_page, example, "alerts/checkoutdatabaseconnectionfailure.html")
    blocks = page.locator("article pre:has(code)")
    assert blocks.count() > 5
    assert page.locator("article pre:has(code) button.md-code__button[data-md-type='copy']").count() == blocks.count()


def test_incident_report_downloads_prefilled_for_the_alert(open_page, example):
    alert = alert_named(example, "CheckoutHighErrorRate")
    page, recorder = open_site_page(open_page, example, "alerts/checkouthigherrorrate.html")
    link = page.locator("a.rb-incident-download")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "incident-checkouthigherrorrate.md"
    report = open(download.path(), encoding="utf-8").read()
    assert report.startswith("# Incident report: CheckoutHighErrorRate\n")
    assert "| Severity | P1 High |" in report and f"| Owner | {alert['owner']} |" in report
    assert "https://runbooks.example.com/checkout/alerts/checkouthigherrorrate.html" in report
    for query in alert["queries"]:
        assert query["expr"] in report
    assert "## Timeline" in report
    # and the blank template is one click away
    page.locator("article a", has_text="template").first.click()
    page.wait_for_url(re.compile(r".*/incident-report\.html$"))
    assert page.locator("article h1").first.inner_text().startswith("Incident report")
    assert recorder.problems() == []


# -------------------------------------------------------------------------------------- dark mode, print

def test_dark_mode_toggle_switches_the_palette(open_page, example):
    page, recorder = open_site_page(open_page, example, "alerts/checkoutdown.html", color_scheme="light")
    body = page.locator("body")
    light_background = body.evaluate("e => getComputedStyle(e).backgroundColor")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    dark_background = body.evaluate("e => getComputedStyle(e).backgroundColor")
    assert dark_background != light_background and luminance(dark_background) < luminance(light_background)
    page.reload()
    wait_until_ready(page)
    assert body.get_attribute("data-md-color-scheme") == "slate", "the choice is not remembered"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert body.get_attribute("data-md-color-scheme") == "default"
    assert recorder.problems() == []


def test_dark_mode_follows_the_system_preference(open_page, example):
    page, _ = open_site_page(open_page, example, "index.html", color_scheme="dark")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def luminance(css_rgb: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_print_layout_hides_navigation_and_shows_everything_else(open_page, example):
    page, _ = open_site_page(open_page, example, "alerts/checkoutdown.html")
    page.emulate_media(media="print")
    hidden = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search",
              "article .md-code__nav", ".headerlink"]
    for selector in hidden:
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    # the collapsed alert rule expression is printed, and long queries wrap instead of being cut off
    rule = page.locator("article details code").first
    assert rule.is_visible()
    assert rule.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    widest = page.eval_on_selector_all("article pre > code", "cs => Math.max(...cs.map(c => c.scrollWidth - c.clientWidth))")
    assert widest <= 1, "a code block is wider than the printed page"
    # Explore links print as text, not as kilobytes of escaped JSON
    assert page.locator("article a.rb-explore").first.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")
    page.emulate_media(media="screen")
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).display") != "none"
    # printing opens collapsed blocks for browsers without ::details-content, and closes them afterwards
    details = page.locator("article details").first
    assert details.evaluate("d => d.open") is False
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert details.evaluate("d => d.open") is True
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert details.evaluate("d => d.open") is False


# ---------------------------------------------------------------------------------------------- screenshots

def test_screenshots_for_review(open_page, example):
    """Every page type, light and dark, laptop and phone, in test-output/ (full pages), plus the filtered index
    and the print view."""
    OUTPUT.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        for size, viewport in VIEWPORTS.items():
            page, recorder = open_page(color_scheme=scheme, viewport=viewport, is_mobile=size == "phone")
            for target in PAGE_TYPES.values():
                page.goto(example.server.url(target))
                wait_until_ready(page)
                page.wait_for_load_state("networkidle")
                expected = "slate" if scheme == "dark" else "default"
                assert page.locator("body").get_attribute("data-md-color-scheme") == expected
                name = target.replace("/", "-").removesuffix(".html")
                page.screenshot(path=str(OUTPUT / f"{name}-{size}-{scheme}.png"), full_page=True)
            assert [p for p in recorder.problems() if "404.html" not in p] == []
    page, _ = open_site_page(open_page, example, "alerts/index.html")
    page.locator(".rb-filters select[data-filter='severity']").select_option("P1")
    page.screenshot(path=str(OUTPUT / "alert-index-filtered-p1.png"), full_page=True)
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    page.emulate_media(media="print")
    page.screenshot(path=str(OUTPUT / "alert-checkoutdown-print.png"), full_page=True)
    for name in ("index-laptop-light", "index-phone-dark", "alerts-checkoutdown-laptop-light",
                 "alerts-checkoutdown-phone-dark"):
        assert (OUTPUT / f"{name}.png").stat().st_size > 10_000
