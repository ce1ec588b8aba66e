"""The example site opened straight from disk (file://), as during an outage that took the docs host down."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from browser_helpers import search, wait_until_ready


def nav_link(page, label):
    return page.locator(".md-sidebar--primary").get_by_role("link", name=label, exact=True).first


def test_file_url_navigation_reaches_every_kind_of_page(open_page, example):
    page, recorder = open_page()
    page.goto(example.file_url("index.html"))
    wait_until_ready(page)
    nav_link(page, "Alerts").click()
    page.wait_for_url(re.compile(r"^file://.*/site/alerts/index\.html$"))
    wait_until_ready(page)
    page.locator("article table a", has_text="CheckoutDown").first.click()
    page.wait_for_url(re.compile(r"^file://.*/site/alerts/checkoutdown\.html$"))
    wait_until_ready(page)
    assert page.locator("article h1").first.inner_text().startswith("CheckoutDown")
    # the runbook's own behaviour works from disk too: review age and copy buttons
    assert re.search(r"\((today|1 day ago|\d+ days ago)", page.locator("article .rb-reviewed").inner_text())
    assert page.locator("article button.md-code__button[data-md-type='copy']").count() > 0
    for label, address in (("Severity levels", r"severities/index\.html"), ("Procedures", r"procedures\.html"),
                           ("Escalation", r"escalation\.html"), ("Home", r"index\.html")):
        nav_link(page, label).click()
        page.wait_for_url(re.compile(rf"^file://.*/site/{address}$"))
        wait_until_ready(page)
    assert page.locator("article h1").first.inner_text().startswith("Checkout runbooks")
    assert recorder.problems() == []


def test_file_url_search_finds_and_opens_an_alert(open_page, example):
    page, recorder = open_page()
    page.goto(example.file_url("severities/index.html"))
    wait_until_ready(page)
    results = search(page, "CheckoutDiskSpaceLow")
    assert results and results[0]["page"] == example.file_url("alerts/checkoutdiskspacelow.html"), results[:3]
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"^file://.*/site/alerts/checkoutdiskspacelow\.html([?#].*)?$"))
    wait_until_ready(page)
    assert page.locator("article h1").first.inner_text().startswith("CheckoutDiskSpaceLow")
    assert recorder.problems() == []


def test_file_url_alert_index_filters(open_page, example):
    page, recorder = open_page()
    page.goto(example.file_url("alerts/index.html"))
    wait_until_ready(page)
    page.locator(".rb-filters select[data-filter='severity']").select_option("P0")
    wanted = sum(1 for a in example.inventory["alerts"] if a["severity"] == "P0")
    assert page.locator(".rb-filter-count").inner_text() == f"{wanted} of {len(example.inventory['alerts'])} alerts"
    assert recorder.problems() == []


def test_no_console_errors_and_nothing_fetched_on_any_page_from_disk(example, example_file_crawl):
    """Every page, 404.html too, opened from file://."""
    assert len(example_file_crawl) == len(example.pages())
    problems = {name: visit.problems for name, visit in example_file_crawl.items() if visit.problems}
    assert problems == {}
    reviewed = [v.reviewed for name, v in example_file_crawl.items()  # one per alert page; coverage lists them all
                if v.reviewed and not name.endswith("coverage.html")]
    assert len(reviewed) == len(example.inventory["alerts"])
    assert all(re.search(r"\((today|1 day ago|\d+ days ago)", r["text"]) for r in reviewed)


def test_every_link_from_disk_points_at_a_file_that_exists(example, example_file_crawl):
    """Relative links resolve to files of the site (use_directory_urls: false): no folder/ link needs a server."""
    missing = []
    for name, visit in example_file_crawl.items():
        for where, url in visit.links:
            if url.startswith("file://"):
                target = Path(unquote(urlsplit(url).path))
                if not target.is_file():
                    missing.append(f"{name}: {where} -> {url}")
    assert missing == []
