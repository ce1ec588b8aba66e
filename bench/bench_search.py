"""The search index a reader downloads, and the time from their first keystroke to the first search result.

    python bench/bench_search.py SITE_DIR [SITE_DIR ...] [--runs 5] [--page alerts/x.html] [--query NAME]

For each built site: the index's size (plain and gzipped), then, in Chromium (Playwright, /usr/bin/chromium),
``--runs`` times in a fresh browser context (nothing cached, as for a reader's first search): open an alert
page served on 127.0.0.1, press "/" (the theme's search shortcut) and type an alert's name; the time from that
first keystroke to the first result on screen, and, of it, until the index was downloaded. Sites are measured
in turns (A B A B ...), so that a change in the machine's load falls on all of them; medians are printed with
the load average. Loopback has no network time: the download share is the browser reading the file.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
WATCH = """() => {
  window.__rb = {};
  document.addEventListener('keydown', () => { if (!window.__rb.key) window.__rb.key = performance.now(); }, true);
  new MutationObserver(() => {
    if (!window.__rb.result && document.querySelector('.md-search-result__item')) window.__rb.result = performance.now();
  }).observe(document.body, {childList: true, subtree: true});
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def index_sizes(site: Path) -> dict:
    data = (site / "search" / "search_index.json").read_bytes()
    docs = json.loads(data)["docs"]
    alerts = sum(1 for d in docs if d["location"].startswith("alerts/") and d["location"] != "alerts/index.html"
                 and "#" not in d["location"])
    return {"bytes": len(data), "gzip": len(gzip.compress(data, 6, mtime=0)), "entries": len(docs), "alerts": alerts}


def first_alert(site: Path) -> tuple[str, str]:
    docs = json.loads((site / "search" / "search_index.json").read_bytes())["docs"]
    pages = sorted(d["location"].split("#")[0] for d in docs
                   if d["location"].startswith("alerts/") and d["location"] != "alerts/index.html")
    page = pages[len(pages) // 2]
    title = next(d["title"] for d in docs if d["location"] == page)
    return page, title.split()[0]


def one_run(browser, base: str, page_path: str, query: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + page_path, wait_until="load")
        page.evaluate(WATCH)
        page.keyboard.press("/")
        page.keyboard.type(query, delay=15)
        page.wait_for_function("() => window.__rb.result", timeout=180_000)
        marks = page.evaluate("""() => {
          const index = performance.getEntriesByType('resource').find(e => /search_index\\.js(on)?$/.test(e.name));
          return {key: window.__rb.key, result: window.__rb.result, index: index ? index.responseEnd : null};
        }""")
        first = page.locator(".md-search-result__item a.md-search-result__link").first.get_attribute("href")
        return {"to_result": (marks["result"] - marks["key"]) / 1000,
                "to_index": ((marks["index"] - marks["key"]) / 1000) if marks["index"] else None,
                "first": first}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", help="the alert page to search from (default: one in the middle)")
    parser.add_argument("--query", help="what to type (default: that page's alert name)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()}")
    runs: dict[Path, list[dict]] = {site: [] for site in args.sites}
    servers = {site: serve(site) for site in args.sites}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for _ in range(args.runs):
                for site in args.sites:
                    page, name = first_alert(site)
                    runs[site].append(one_run(browser, servers[site][1], args.page or page, args.query or name))
        finally:
            browser.close()
    for server, _ in servers.values():
        server.shutdown()
    print(f"load average after: {os.getloadavg()}")
    for site in args.sites:
        sizes = index_sizes(site)
        times = [r["to_result"] for r in runs[site]]
        index = [r["to_index"] for r in runs[site] if r["to_index"] is not None]
        print(json.dumps({"site": str(site), **sizes, "per_alert": round(sizes["bytes"] / max(sizes["alerts"], 1)),
                          "keystroke_to_result_median_s": round(statistics.median(times), 3),
                          "keystroke_to_result_s": [round(t, 3) for t in times],
                          "keystroke_to_index_loaded_median_s": round(statistics.median(index), 3) if index else None,
                          "first_result": runs[site][0]["first"]}))


if __name__ == "__main__":
    main()
