"""Browser fixtures: Debian's Chromium driven by Playwright, and built sites served on 127.0.0.1.

One browser for the whole session; the example site is built once per session. Every browser context
refuses (and records) requests that would leave the machine, so a test run never touches the internet.
Playwright never downloads a browser here: it only drives /usr/bin/chromium, and the tests skip
when that or the playwright package is missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from browser_helpers import (CHROMIUM, CHROMIUM_ARGS, BuiltSite, Recorder, block_outside_requests, built_site,
                             copy_example, wait_until_ready)

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def _skip_reason() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found: install Debian's chromium package (scripts/test.sh does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def example(tmp_path_factory, chromium) -> BuiltSite:
    """The example service at the repository root, built once and served below /checkout/ like its site_url."""
    built = built_site(copy_example(tmp_path_factory.mktemp("example")))
    yield built
    built.server.stop()


@pytest.fixture
def open_page(chromium):
    """open_page(**context_options) -> (page, recorder): a fresh context (own storage, clipboard, palette)."""
    contexts = []

    def open_(**options):
        options = {"viewport": {"width": 1280, "height": 900}, "timezone_id": "UTC", "locale": "en-US", **options}
        context = chromium.new_context(**options)
        contexts.append(context)
        recorder = Recorder(local=("http://127.0.0.1:", "file://"))
        block_outside_requests(context, recorder)
        page = context.new_page()
        recorder.attach(page)
        return page, recorder

    yield open_
    for context in contexts:
        context.close()


@dataclass
class PageVisit:
    page: str  # relative to the site root
    url: str
    problems: list  # console errors, uncaught exceptions, failed loads, requests to other hosts
    links: list  # [tag[attr], absolute URL as the browser resolved it]
    ids: set
    explore: list  # [href, data-datasource] of each Grafana Explore link in the page's content
    prometheus: list  # href of each Prometheus expression browser link in the page's content
    reviewed: dict | None  # the "last reviewed" line: its text and whether it carries the stale warning


_COLLECT = """() => {
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const reviewed = document.querySelector('article .rb-reviewed');
  return {
    links: all('a[href], link[href], script[src], img[src], iframe[src]').map(e =>
      [e.tagName.toLowerCase() + (e.hasAttribute('src') ? '[src]' : '[href]'), e.hasAttribute('src') ? e.src : e.href]),
    ids: all('[id], a[name]').map(e => e.id || e.name),
    explore: all('article a.rb-explore').map(a => [a.href, a.dataset.datasource]),
    prometheus: all('article a.rb-prometheus').map(a => a.href),
    reviewed: reviewed && {text: reviewed.innerText, stale: reviewed.querySelectorAll('.rb-stale').length},
  };
}"""


def crawl(chromium, urls: dict[str, str]) -> dict[str, PageVisit]:
    """Visit each page in one tab and collect what it logged, linked to and showed."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    visits = {}
    try:
        recorder = Recorder(local=("http://127.0.0.1:", "file://"))
        page = context.new_page()
        block_outside_requests(page, recorder)
        recorder.attach(page)
        for name, url in urls.items():
            page.goto(url)
            wait_until_ready(page)
            found = page.evaluate(_COLLECT)
            visits[name] = PageVisit(name, url, recorder.take(), found["links"], set(found["ids"]),
                                     found["explore"], found["prometheus"], found["reviewed"])
    finally:
        context.close()
    return visits


@pytest.fixture(scope="session")
def example_crawl(example, chromium) -> dict[str, PageVisit]:
    """Every page of the example site visited over HTTP: what it logged, linked to and showed."""
    return crawl(chromium, {name: example.server.url(name) for name in example.pages()})


@pytest.fixture(scope="session")
def example_file_crawl(example, chromium) -> dict[str, PageVisit]:
    """Every page of the example site opened from disk (file://)."""
    return crawl(chromium, {name: example.file_url(name) for name in example.pages()})
