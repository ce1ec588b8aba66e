"""An inventory full of injection attempts, built and opened in the browser: nothing runs, everything reads.

Every text field of fixtures/injection/runbooks.yaml carries a <script>, an <img onerror=...>, an <svg
onload=...>, a javascript: link and the like, each calling pwn('<field>') or alert('<field>'). The page
defines pwn() before anything loads, so a payload that runs is recorded with the field it came from;
alert() is caught as a dialog.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from browser_helpers import FIXTURES, BuiltSite, LocalSite, built_site, load_inventory, search, wait_until_ready
from support import REPO

SENTINEL = "window.__pwned = []; window.pwn = function (field) { window.__pwned.push(String(field)); };"
PAYLOAD = re.compile(r"<(script|iframe)\b[^>]*>.*?</\1>|<(img|svg|body)\b[^>]*>")
# Fields whose payloads are known to run (with their sub-payloads: service.name.title): none any more.
KNOWN_TO_RUN: set[str] = set()
NOT_SHOWN = {
    "slo.description",  # not part of any page: the home page's table lists name, target and window
    "service.description.data",  # inside a data: link target, which is removed (with the link) by design
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, chromium):
    """The injection inventory built with runbookgen's defaults (no mkdocs.yml), served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("injection")
    shutil.copy(FIXTURES / "injection" / "runbooks.yaml", folder / "runbooks.yaml")
    if os.environ.get("RUNBOOKGEN_HOSTILE_UNGUARDED") == "1":  # tests/hostile/unguarded.py: these tests must fail
        proc = subprocess.run([sys.executable, str(REPO / "tests" / "hostile" / "unguarded.py"), "build"], cwd=folder,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        site = BuiltSite(folder, folder / "site", load_inventory(folder / "runbooks.yaml"), LocalSite(folder / "site"))
    else:
        site = built_site(folder)
    yield site
    site.server.stop()


@pytest.fixture(scope="module")
def visits(hostile, chromium):
    """Every page of the site, once: which payloads ran there, its text, its links and active attributes."""
    context = chromium.new_context(timezone_id="UTC")
    context.add_init_script(SENTINEL)
    dialogs: list[str] = []
    results = {}
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for name in hostile.pages():
            page.goto(hostile.server.url(name))
            wait_until_ready(page)
            page.wait_for_timeout(50)  # let an onerror of a missing image fire
            results[name] = page.evaluate("""() => ({
                ran: window.__pwned.slice(),
                text: document.body.innerText,
                article: (document.querySelector('article') || document.body).innerText,
                hrefs: Array.from(document.querySelectorAll('[href], [src], [action], [formaction]'))
                    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction')),
                active: Array.from(document.querySelectorAll('article *')).flatMap(e =>
                    Array.from(e.attributes).filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name + '=' + a.value)),
                scripts: document.querySelectorAll('article script, article iframe, article object, article embed').length,
            })""")
    finally:
        context.close()
    return {"pages": results, "dialogs": dialogs}


def payloads() -> dict[str, str]:
    """Every payload of the fixture inventory, by the field name it reports."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            for match in PAYLOAD.finditer(node):
                field = re.search(r"(?:pwn|alert)\(['\"]([^'\"]+)['\"]\)", match.group(0))
                if field:
                    found[match.group(0)] = field.group(1)

    walk(yaml.safe_load((FIXTURES / "injection" / "runbooks.yaml").read_text()))
    return found


def ran_fields(visits) -> set[str]:
    return {field for page in visits["pages"].values() for field in page["ran"]}


def known(field: str) -> bool:
    return any(field == k or field.startswith(k + ".") for k in KNOWN_TO_RUN)


def test_the_fixture_covers_every_kind_of_text(visits):
    fields = set(payloads().values())
    for prefix in ("service.description", "service.links.title", "severity.description", "alert.summary",
                   "alert.description", "step.text", "step.command", "query.title", "query.expr", "query2.expr",
                   "alert.links.title", "health.", "procedure.", "escalation.", "oncall.", "slo.", "cause."):
        assert any(f.startswith(prefix) for f in fields), prefix
    assert len(visits["pages"]) >= 10


def test_no_injected_script_runs_on_any_page(visits):
    assert {f for f in ran_fields(visits) if not known(f)} == set()
    assert visits["dialogs"] == []


def test_page_content_holds_no_active_markup(visits):
    for name, page in visits["pages"].items():
        assert page["active"] == [], name
        assert page["scripts"] == 0, name
        unsafe = [h for h in page["hrefs"] if re.match(r"\s*(javascript|data|vbscript):", h or "", re.I)]
        assert unsafe == [], name


def test_injected_text_is_shown_literally(visits):
    """Each payload reads on the site exactly as written in the inventory: escaped, not dropped or mangled."""
    shown = "\n".join(page["text"] for page in visits["pages"].values())
    shown = re.sub(r"[ \t\r\n]+", " ", shown)
    missing = {field: payload for payload, field in payloads().items()
               if re.sub(r"\s+", " ", payload) not in shown and field not in NOT_SHOWN}
    assert missing == {}


def test_javascript_links_in_prose_are_inert(hostile, open_page):
    """A link whose target is not http(s), mailto or a path is no link at all: its Markdown reads as text."""
    page, recorder = open_page()
    page.context.add_init_script(SENTINEL)
    for name in ("index.html", "alerts/injectedalert.html", "procedures.html", "health-checks.html"):
        page.goto(hostile.server.url(name))
        wait_until_ready(page)
        hrefs = page.locator("article a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert [h for h in hrefs if re.match(r"\s*[a-z][a-z0-9+.-]*:", h, re.I)
                and not re.match(r"(https?|mailto):", h, re.I)] == [], name
        links = page.locator("article a[href]")
        for n in range(links.count()):
            if not (links.nth(n).get_attribute("href") or "").startswith(("http", "mailto")):
                links.nth(n).click(modifiers=["Alt"])  # Alt: download instead of navigating for file links
        assert [f for f in page.evaluate("() => window.__pwned") if not known(f)] == [], name
    assert recorder.dialogs == []


def test_every_payload_of_the_fixture_would_run_raw(chromium):
    """The canary: each payload, put into a page as written, runs; so the tests above could fail."""
    context = chromium.new_context()
    context.add_init_script(SENTINEL + " window.alert = window.pwn;")
    page = context.new_page()
    dead = []
    try:
        for payload in payloads():
            page.set_content(f"<!doctype html><body>{payload}</body>")
            page.wait_for_timeout(30)
            if not page.evaluate("() => window.__pwned.length"):
                dead.append(payload)
    finally:
        context.close()
    assert dead == []


def test_search_results_show_injected_text_as_text(hostile, open_page):
    page, recorder = open_page()
    page.context.add_init_script(SENTINEL)
    page.goto(hostile.server.url("health-checks.html"))
    wait_until_ready(page)
    before = set(page.evaluate("() => window.__pwned"))
    results = search(page, "onerror")
    assert results, "the payloads are indexed as text, so a search finds them"
    page.wait_for_timeout(200)
    assert set(page.evaluate("() => window.__pwned")) - before == set()
    assert "<img src=x onerror=pwn(" in " ".join(r["text"] for r in results)
    assert recorder.dialogs == []


# ------------------------------------------------------------------------------- found in the browser

def test_unsafe_link_reads_as_its_markdown(visits):
    home = re.sub(r"\s+", " ", visits["pages"]["index.html"]["article"])
    assert "A [javascript link](javascript:pwn('service.description.link')) and a [spaced one](" in home


def test_service_name_is_text_in_the_header(visits):
    assert {f for f in ran_fields(visits) if f.split(".")[:2] == ["service", "name"]} == set()


def test_severity_name_is_text_in_the_navigation(visits):
    assert {f for f in ran_fields(visits) if f.split(".")[:2] == ["severity", "name"]} == set()


def test_owner_with_a_pipe_keeps_its_alert_index_row(hostile, open_page):
    page, _ = open_page()
    page.goto(hostile.server.url("alerts/index.html"))
    wait_until_ready(page)
    article = page.locator("article").inner_text()
    assert "rb-row" not in article and "data-owner" not in article
    total = len(hostile.inventory["alerts"])
    assert page.locator(".rb-filter-count").inner_text() == f"{total} of {total} alerts"


def test_severity_name_with_pipe_and_bracket_keeps_the_home_table(hostile, open_page):
    page, _ = open_page()
    page.goto(hostile.server.url("index.html"))
    wait_until_ready(page)
    assert "index.md)" not in page.locator("article").inner_text()
    table = page.locator("article h2#alerts-by-severity + *")  # the table (in material's scroll wrapper)
    rows = table.locator("tbody tr")
    assert rows.count() == 3  # two severities and the total
    for n in range(rows.count() - 1):  # the last row is the total
        assert rows.nth(n).locator("td").count() == 4
        assert rows.nth(n).locator("td").first.locator("a .rb-badge").count() == 1


def test_confirm_with_a_code_fence_keeps_the_command_block(hostile, open_page):
    page, _ = open_page()
    page.goto(hostile.server.url("alerts/injectedalert.html"))
    wait_until_ready(page)
    codes = page.locator("article pre code").evaluate_all("cs => cs.map(c => c.textContent)")
    assert not any(code.lstrip().startswith("```") for code in codes)
    assert any(code.strip() == "kill <script>pwn('cause.command')</script>" for code in codes)
