"""The search index is downloaded only when the reader uses search, and once, not on every page view.

Requests are counted twice: every request the page makes (Playwright's request events, whether the browser
answers it from its cache or not), and every response the server actually sends with the index in its body.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import urlsplit

import pytest

from browser_helpers import Recorder, _Handler, search, wait_until_ready

INDEX = re.compile(r"/search/search_index\.js(on)?$")
WORKER = re.compile(r"/assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
PAGES = ("index.html", "alerts/index.html", "alerts/checkoutdown.html", "severities/index.html", "procedures.html")


class CountingSite:
    """The example site served below its site_url's path, remembering each response: (path, status, bytes)."""

    def __init__(self, root, prefix: str):
        self.sent: list[tuple[str, int, int]] = []
        sent = self.sent

        class Counting(_Handler):
            def send_response(self, code, message=None):
                self._status = code
                super().send_response(code, message)

            def copyfile(self, source, outputfile):
                data = source.read()
                outputfile.write(data)
                sent.append((urlsplit(self.path).path, self._status, len(data)))

            def send_head(self):
                handle = super().send_head()
                if handle is None:
                    sent.append((urlsplit(self.path).path, getattr(self, "_status", 0), 0))
                return handle

        handler = functools.partial(Counting, directory=str(root), prefix=prefix)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}{prefix}"

    def index_downloads(self) -> list[tuple[str, int, int]]:
        return [s for s in self.sent if INDEX.search(s[0]) and s[1] == 200]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def served(example):
    site = CountingSite(example.site, example.server.prefix)
    yield site
    site.stop()


@pytest.fixture
def caching_page(chromium):
    """A fresh tab whose browser cache works as a reader's does: Playwright turns the cache off in a context
    that routes requests, so this one routes none (every request it makes is checked to be the site's)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC", locale="en-US")
    page = context.new_page()
    recorder = Recorder(local=("http://127.0.0.1:", "file://"))
    recorder.attach(page)
    yield page, recorder
    context.close()


def requests_of(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def visit(page, url: str) -> None:
    page.goto(url)
    wait_until_ready(page)
    page.wait_for_timeout(300)  # anything the theme would load after the page is ready


def test_pages_read_without_search_load_no_index_and_no_search_worker(open_page, served):
    page, recorder = open_page()
    seen = requests_of(page)
    for name in PAGES:
        visit(page, served.base + name)
    assert any(url.endswith("/alerts/checkoutdown.html") for url in seen)  # the counting itself works
    assert [p for p in seen if INDEX.search(p) or WORKER.search(p)] == []
    assert served.index_downloads() == []
    assert recorder.problems() == []


def test_search_loads_the_index_once_and_finds_an_alert_by_name(caching_page, served, example):
    page, recorder = caching_page
    seen = requests_of(page)
    visit(page, served.base + "index.html")
    assert [p for p in seen if INDEX.search(p)] == []
    results = search(page, "CheckoutDiskSpaceLow")
    assert results and results[0]["page"] == served.base + "alerts/checkoutdiskspacelow.html", results[:3]
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r".*/alerts/checkoutdiskspacelow\.html([?#].*)?$"))
    wait_until_ready(page)
    for name in PAGES[1:]:  # reading on without search: nothing more
        visit(page, served.base + name)
    results = search(page, "CheckoutDown")  # search again, on another page
    assert any(r["page"] == served.base + "alerts/checkoutdown.html" for r in results), results[:3]
    size = (example.site / "search" / "search_index.json").stat().st_size
    downloads = served.index_downloads()
    assert [(status, length) for _, status, length in downloads] == [(200, size)], served.sent
    # asked for on the three page views that used search (two searches, one highlight), never otherwise; the
    # browser answered all but the first from its cache, or the server said it had not changed (304)
    assert 1 <= len([p for p in seen if INDEX.search(p)]) <= 3
    assert all(s[1] in (200, 304) for s in served.sent if INDEX.search(s[0])), served.sent
    assert all(url.startswith(served.base) for url in seen), [u for u in seen if not u.startswith(served.base)]
    assert recorder.problems() == []


def test_from_disk_the_index_script_loads_only_where_search_is_used(open_page, example):
    page, recorder = open_page()
    seen = requests_of(page)
    for name in PAGES:
        visit(page, example.file_url(name))
    assert [p for p in seen if INDEX.search(p) or WORKER.search(p)] == []
    results = search(page, "CheckoutDiskSpaceLow")
    assert results and results[0]["page"] == example.file_url("alerts/checkoutdiskspacelow.html"), results[:3]
    assert len([p for p in seen if INDEX.search(p)]) == 1
    assert recorder.problems() == []
