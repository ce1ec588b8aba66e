"""Every page of the example site visited in the browser: no console errors, no broken internal link or
anchor (each answered 200 by the local server), nothing fetched from another host, review ages shown."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from browser_helpers import days_since, slug, window_days


def test_every_page_was_visited(example, example_crawl):
    assert sorted(example_crawl) == example.pages()
    assert len(example_crawl) >= len(example.inventory["alerts"]) + 8


def test_no_console_errors_on_any_page(example_crawl):
    problems = {name: visit.problems for name, visit in example_crawl.items() if visit.problems}
    assert problems == {}


def test_every_internal_link_answers_200(example, example_crawl, chromium):
    """Every href and src of every page (as the browser resolved them) that stays on the site is served."""
    origin = example.server.origin
    targets: dict[str, list[str]] = {}
    for name, visit in example_crawl.items():
        for where, url in visit.links:
            if url.startswith(origin):
                targets.setdefault(urldefrag(url).url, []).append(f"{name}: {where}")
            else:
                assert urlsplit(url).scheme in ("http", "https", "mailto", "file", "data"), (name, where, url)
    assert len(targets) > len(example_crawl)
    request = chromium.new_context().request
    try:
        broken = {}
        for url, sources in sorted(targets.items()):
            status = request.get(url, max_redirects=0).status
            if status != 200:
                broken[url] = (status, sources[:3])
    finally:
        request.dispose()
    assert broken == {}


def test_every_internal_anchor_exists(example, example_crawl):
    """A link to page#section finds an element with that id on the page, as the browser loaded it."""
    base = example.server.base
    checked = 0
    missing = []
    for name, visit in example_crawl.items():
        for where, url in visit.links:
            page_url, fragment = urldefrag(url)
            if not fragment or not page_url.startswith(base):
                continue
            target = example.server.page_of(page_url) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not target.endswith(".html"):
                continue
            checked += 1
            if fragment not in example_crawl[target].ids:
                missing.append(f"{name}: {where} -> {target}#{fragment}")
    assert missing == []
    assert checked > 100  # the tables of contents alone link to every section


def test_nothing_is_fetched_from_another_host(example_crawl):
    outside = [p for visit in example_crawl.values() for p in visit.problems if p.startswith("outside request")]
    assert outside == []


def test_every_alert_page_shows_how_long_ago_it_was_reviewed(example, example_crawl):
    """'N days ago', counted in the browser from last_reviewed, with the warning only past the lint window."""
    window = window_days(example.inventory["lint"]["stale_after"])
    for alert in example.inventory["alerts"]:
        reviewed = example_crawl[f"alerts/{slug(alert['name'])}.html"].reviewed
        days = days_since(alert["last_reviewed"])
        ago = "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"
        if days > window:
            assert reviewed == {"text": f"{alert['last_reviewed']} ({ago}: overdue for review)", "stale": 1}
        else:
            assert reviewed == {"text": f"{alert['last_reviewed']} ({ago})", "stale": 0}, alert["name"]
