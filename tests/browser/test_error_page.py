"""The 404 page in Chromium: styled, with a home link that works, from disk, under another base path, and
when a web server shows it at a missing address below the site_url's path."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_helpers import AXE, LocalSite, axe_violations, wait_until_ready

_STYLE = """() => {
  const header = document.querySelector('.md-header');
  const body = getComputedStyle(document.body);
  return {
    stylesheets: Array.from(document.styleSheets).filter(s => s.href && s.href.includes('/assets/stylesheets/main'))
      .length,
    font: body.fontFamily,
    background: body.backgroundColor,
    header: header ? getComputedStyle(header).backgroundColor : null,
  };
}"""


def _style(page) -> dict:
    return page.evaluate(_STYLE)


_THEMED: dict = {}  # the look is measured once per process: the example site does not change


@pytest.fixture
def themed(example, open_page) -> dict:
    """The theme's look, as an ordinary page of the same site shows it from disk."""
    if "look" not in _THEMED:
        page, _ = open_page()
        page.goto(example.file_url("index.html"))
        wait_until_ready(page)
        _THEMED["look"] = _style(page)
    return _THEMED["look"]


def _assert_themed(page, themed: dict) -> None:
    seen = _style(page)
    assert seen["stylesheets"] == 1, seen
    assert seen["font"] == themed["font"] and "Times" not in seen["font"], seen
    assert seen["header"] == themed["header"] and seen["header"] != "rgba(0, 0, 0, 0)", seen


def _follow_home(page) -> str:
    page.locator("a.md-header__button.md-logo").click()
    wait_until_ready(page)
    return page.url


def test_404_from_disk_is_styled_and_its_home_link_opens_the_index(example, open_page, themed):
    page, recorder = open_page()
    page.goto(example.file_url("404.html"))
    wait_until_ready(page)
    _assert_themed(page, themed)
    assert recorder.problems() == []  # no stylesheet, script or icon that failed to load
    home = _follow_home(page)
    assert home == example.file_url("index.html")
    assert page.locator("h1").first.inner_text() != "404 - Not found"


def test_404_under_another_base_path_is_styled_and_links_stay_below_it(example, open_page, themed):
    elsewhere = LocalSite(example.site, "/somewhere/else/")
    try:
        page, recorder = open_page()
        page.goto(elsewhere.url("404.html"))
        wait_until_ready(page)
        _assert_themed(page, themed)
        assert recorder.problems() == []
        assert _follow_home(page) == elsewhere.url("index.html")
    finally:
        elsewhere.stop()


class _NotFoundPage(http.server.SimpleHTTPRequestHandler):
    """A web server like the real host: below the site path, a missing file answers 404 with 404.html's text."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        target = Path(self.directory) / path[len(self.prefix):] if path.startswith(self.prefix) else None
        if target is not None and target.is_file():
            self.path = "/" + path[len(self.prefix):]
            return super().do_GET()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("missing", ["gone.html", "alerts/gone.html", "alerts/deeper/still/gone", None])
def test_404_shown_by_a_web_server_at_a_missing_address_below_site_url(example, open_page, themed, missing):
    prefix = example.server.prefix  # the path of the example's site_url: /checkout/
    handler = functools.partial(_NotFoundPage, directory=str(example.site), prefix=prefix)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        page, _ = open_page()
        page.goto(origin + (prefix + missing if missing is not None else prefix.rstrip("/")))  # None: /checkout
        wait_until_ready(page)
        assert page.locator("h1").first.inner_text() == "404 - Not found"
        _assert_themed(page, themed)
        assert _follow_home(page) == origin + prefix + "index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_404_from_disk_has_no_serious_accessibility_violation(example, chromium):
    """Unstyled, the page failed the audit; styled from disk it passes it like the pages over http."""
    if not AXE.is_file():
        pytest.skip(f"{AXE} missing: scripts/test.sh installs axe-core with npm")
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)  # to inject axe
    try:
        page = context.new_page()
        page.goto(example.file_url("404.html"))
        wait_until_ready(page)
        found = [f"{v['rule']} at {v['target']}: {v['summary']}" for v in axe_violations(page)]
        assert found == []
    finally:
        context.close()
