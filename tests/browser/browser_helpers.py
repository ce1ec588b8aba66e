"""Helpers of the browser tests: a local web server for a built site, page recorders, inventory lookups.

The fixtures themselves live in conftest.py; this module has a name of its own so that test modules can
import from it (``conftest`` is ambiguous between the test folders).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from runbookgen.addresses import slugify
from support import REPO, run_cli  # tests/ is on sys.path, as for every test module
from test_build import copy_example  # noqa: F401  (the example service, copied as the build tests copy it)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

OUTPUT = REPO / "test-output"  # screenshots for a human reviewer (git-ignored)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def build(folder: Path) -> Path:
    """``runbookgen build`` in ``folder``; returns the built site folder."""
    result = run_cli("build", "--docs-dir", "md", cwd=folder)
    assert result.code == 0, result
    return folder / "site"


def site_path_of(folder: Path) -> str:
    """The path part of the configured site_url ('/checkout/'), or '/' without a mkdocs.yml."""
    config = folder / "mkdocs.yml"
    if not config.is_file():
        return "/"
    url = yaml.safe_load(config.read_text()).get("site_url") or "/"
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def html_pages(site: Path) -> list[str]:
    """Every page of a built site, relative to its root, with forward slashes."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# ---------------------------------------------------------------------------------------------------- server

class LocalSite:
    """A built site served over HTTP on 127.0.0.1 (a free port), below the path of its site_url.

    Serving below ``/checkout/`` as the real host would means root-absolute links (404.html has them)
    resolve too; anything outside that path is a 404.
    """

    def __init__(self, root: Path, prefix: str = "/"):
        self.root = Path(root)
        self.prefix = prefix
        handler = functools.partial(_Handler, directory=str(self.root), prefix=prefix)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="site-server", daemon=True)
        self._thread.start()
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.base = self.origin + prefix

    def url(self, page: str = "") -> str:
        return self.base + page

    def page_of(self, url: str) -> str:
        """The page below the site root that a URL of this server names ('' for the root)."""
        path = unquote(urlsplit(url).path)
        assert path.startswith(self.prefix), url
        return path[len(self.prefix):]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".md": "text/markdown; charset=utf-8"}

    def __init__(self, *args, prefix: str = "/", **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path):
        plain = urlsplit(path).path
        if not plain.startswith(self.prefix):
            return os.path.join(self.directory, "..", ".no-such-file-outside-the-site")  # never exists: 404
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args):  # keep the test output quiet
        pass


@dataclass
class BuiltSite:
    folder: Path  # where runbooks.yaml (and mkdocs.yml) live
    site: Path  # the built site
    inventory: dict
    server: LocalSite

    def file_url(self, page: str = "index.html") -> str:
        return (self.site / page).as_uri()

    def pages(self) -> list[str]:
        return html_pages(self.site)


def built_site(folder: Path) -> BuiltSite:
    """``runbookgen build`` in ``folder``, and the site served on 127.0.0.1 (stop its server when done)."""
    site = build(folder)
    return BuiltSite(folder, site, load_inventory(folder / "runbooks.yaml"), LocalSite(site, site_path_of(folder)))


# ------------------------------------------------------------------------------------------ page recording

@dataclass
class Recorder:
    """What happened in a tab: console errors, uncaught exceptions, failed loads, outside requests, dialogs."""

    local: tuple[str, ...]  # URL prefixes that are the site itself
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console_errors.append(f"{page.url}: {m.text}")
                if m.type in ("error", "assert") else None)
        page.on("pageerror", lambda e: self.page_errors.append(f"{page.url}: {e}"))
        # net::ERR_ABORTED is a load cut short by leaving the page, not a broken resource (that is a 4xx/5xx)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}")
                if not r.url.startswith(("data:", "blob:")) and "ERR_ABORTED" not in (r.failure or "")
                and r.url not in self.outside else None)
        page.on("response", lambda r: self.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def is_local(self, url: str) -> bool:
        return url.startswith(self.local) or url.startswith(("data:", "blob:", "about:"))

    def take(self) -> list[str]:
        """The problems recorded so far, forgetting them (to attribute them page by page)."""
        found = self.problems()
        for kept in (self.console_errors, self.page_errors, self.failed, self.outside, self.dialogs):
            kept.clear()
        return found

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors] + [f"uncaught: {m}" for m in self.page_errors]
                + [f"failed: {m}" for m in self.failed] + [f"outside request: {u}" for u in self.outside]
                + [f"dialog: {d}" for d in self.dialogs])


def block_outside_requests(target, recorder: Recorder) -> None:
    """Record, and refuse, every request of a page or context that would leave the machine.

    A regular expression, not a Python predicate: the browser side matches it, so requests for the site
    itself are never held up waiting for Python.
    """
    def handle(route):
        recorder.outside.append(route.request.url)
        route.abort("blockedbyclient")

    local = "|".join(re.escape(prefix) for prefix in recorder.local + ("data:", "blob:", "about:"))
    target.route(re.compile(f"^(?!{local})"), handle)


def wait_until_ready(page) -> None:
    """The page is loaded and Material's and runbookgen's scripts have run."""
    page.wait_for_load_state("load")
    page.wait_for_function("""() => window.document$ !== undefined && document.readyState === 'complete'
        && Array.from(document.querySelectorAll('.rb-reviewed[data-reviewed]')).every(e => e.dataset.rbDone)""")


# --------------------------------------------------------------------------------------------- search

def search(page, text: str) -> list[dict]:
    """Type into Material's search box like a person; the results as {title, url, page, text}.

    ``page`` is the result's address without the ``?h=`` highlight query or the #section.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(text, delay=15)
    page.wait_for_function(
        """(q) => {
             const meta = document.querySelector('.md-search-result__meta');
             const box = document.querySelector('input.md-search__input');
             return meta && box.value === q && !/Type to start|Initializing/i.test(meta.textContent);
           }""", arg=text, timeout=15000)
    page.wait_for_timeout(150)  # let the result list render after the count
    return page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        "els => els.map(a => ({url: a.href, page: a.href.split(/[?#]/)[0],"
        " title: (a.querySelector('h1,h2') || a).textContent.trim(), text: a.textContent}))")


# ------------------------------------------------------------------------------------------- inventory

def load_inventory(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def slug(name: str) -> str:
    """The alert page's file name, as runbookgen derives it (alerts/<slug>.html)."""
    return slugify(name)


def query_datasource(inventory: dict, query: dict) -> dict:
    """The datasource a query runs against: the one it names, else the first of its language's type."""
    sources = inventory.get("datasources", [])
    if query.get("datasource"):
        return next(d for d in sources if d["name"] == query["datasource"])
    wanted = {"promql": "prometheus", "logql": "loki", "traceql": "tempo"}[query.get("language", "promql")]
    return next(d for d in sources if d["type"] == wanted)


def rule_datasource(inventory: dict, alert: dict) -> dict:
    sources = inventory.get("datasources", [])
    if alert.get("datasource"):
        return next(d for d in sources if d["name"] == alert["datasource"])
    return next(d for d in sources if d["type"] == "prometheus")


def expected_links(inventory: dict, alert: dict) -> set[tuple[str, str, str]]:
    """(datasource type, uid, expr) of every Explore link an alert's page must carry: its queries and its rule."""
    wanted = {(query_datasource(inventory, q)["type"], query_datasource(inventory, q).get("uid", ""), q["expr"])
              for q in alert.get("queries", [])}
    if alert.get("expr"):
        source = rule_datasource(inventory, alert)
        wanted.add((source["type"], source.get("uid", ""), alert["expr"]))
    return wanted


def decode_explore(url: str) -> dict:
    """A Grafana Explore link taken apart: base, orgId and the single pane's datasource uid and query."""
    parts = urlsplit(url)
    params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    panes = json.loads(params["panes"][0])
    assert len(panes) == 1, panes
    pane = next(iter(panes.values()))
    assert len(pane["queries"]) == 1, pane
    query = pane["queries"][0]
    return {"base": f"{parts.scheme}://{parts.netloc}{parts.path}", "org": params["orgId"][0],
            "pane_uid": pane["datasource"], "type": query["datasource"]["type"], "uid": query["datasource"]["uid"],
            "expr": query.get("expr", query.get("query")), "range": pane.get("range")}


def decode_prometheus(url: str) -> dict:
    parts = urlsplit(url)
    params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    return {"base": f"{parts.scheme}://{parts.netloc}{parts.path}", "expr": params["g0.expr"][0]}


def days_since(date_text: str, today: dt.date | None = None) -> int:
    today = today or dt.datetime.now(dt.timezone.utc).date()
    return (today - dt.date.fromisoformat(str(date_text))).days


def window_days(text: str) -> float:
    """A staleness window such as '180d' or '26w' in days, as the lint check and the site's script read it."""
    units = {"ms": 1 / 86400000, "s": 1 / 86400, "m": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "y": 365}
    return sum(int(n) * units[u] for n, u in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", text or "")) or 180


# ------------------------------------------------------------------------------------------ page types

PAGE_TYPES = {
    "home": "index.html",
    "alert index": "alerts/index.html",
    "alert (P0, paging)": "alerts/checkoutdown.html",
    "alert (P2, with a severity path)": "alerts/checkoutdiskspacelow.html",
    "alert (P3, not paging)": "alerts/checkoutpaniclogged.html",
    "severity levels": "severities/index.html",
    "severity": "severities/p1/index.html",
    "health checks": "health-checks.html",
    "procedures": "procedures.html",
    "procedure": "procedures/rollback.html",
    "escalation": "escalation.html",
    "incident report template": "incident-report.html",
    "coverage": "coverage.html",
    "not found": "404.html",
}
"""One page of each kind the example site has, for the accessibility audit and the screenshots."""

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


# ------------------------------------------------------------------------------------------ accessibility

AXE = Path(os.environ.get("RUNBOOKGEN_AXE", Path(__file__).resolve().parent / "npm" / "node_modules" / "axe-core"
                          / "axe.min.js"))
"""axe-core, installed by scripts/test.sh (npm install --prefix tests/browser/npm axe-core)."""

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const ours = (el) => !!(el && (el.closest('.md-content') || el.closest('[class*="rb-"]')));
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').flatMap(v =>
    v.nodes.map(n => {
      const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
      return {rule: v.id, impact: v.impact, target: n.target.join(' '), ours: ours(el),
              html: n.html.slice(0, 160), summary: (n.failureSummary || '').slice(0, 300)};
    }));
}"""


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as shown now, one entry per failing node;
    ``ours`` says whether the node is runbookgen's (the page content, or an element with an rb- class)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN)
