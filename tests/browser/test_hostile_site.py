"""The hostile-input corpus (tests/hostile/site), built with the user's own macros and snippets plugins on,
and read in Chromium as an on-call engineer would: nothing runs, nothing loads, no plugin reads a value.

Every payload calls pwn('<case>') if it runs, and loads a file named x-<something> if an element of it is
ever created. Each case is a test. ``test_every_payload_would_run_raw`` shows that the payloads are live
HTML; running this module with RUNBOOKGEN_HOSTILE_UNGUARDED=1 builds the site with runbookgen's defences
switched off (tests/hostile/unguarded.py), and then the tests fail.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from browser_helpers import LocalSite, html_pages, wait_until_ready
from support import REPO, run_cli

CORPUS = REPO / "tests" / "hostile" / "site"
SENTINEL = "window.__pwned = []; window.pwn = function (c) { window.__pwned.push(String(c)); };"
SECRET = "s3cr3t-from-dotenv"
MACRO_RESULT = "42042"  # what {{ 6 * 7007 }} becomes if mkdocs-macros ever evaluates inventory text
UNGUARDED = os.environ.get("RUNBOOKGEN_HOSTILE_UNGUARDED") == "1"


def corpus_text() -> str:
    return "\n".join(p.read_text() for p in (CORPUS / "runbooks.yaml", CORPUS / "rules" / "hostile.yaml"))


def cases() -> list[str]:
    return sorted(set(re.findall(r"pwn\(\(?[`'\"]([a-z][\w.-]+)[`'\"]\)?\)", corpus_text())))


def build_corpus(folder: Path) -> Path:
    if UNGUARDED:
        import subprocess

        proc = subprocess.run([sys.executable, str(REPO / "tests" / "hostile" / "unguarded.py"), "build"],
                              cwd=folder, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    else:
        result = run_cli("build", cwd=folder)
        assert result.code == 0, result
    return folder / "site"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("hostile") / "service"
    shutil.copytree(CORPUS, folder)
    site = build_corpus(folder)
    server = LocalSite(site)
    yield site, server
    server.stop()


@pytest.fixture(scope="module")
def crawl(hostile, chromium):
    """Every page once: payloads that ran, dialogs, every request, failed loads, CSP reports, links, text."""
    site, server = hostile
    context = chromium.new_context(timezone_id="UTC")
    context.add_init_script(SENTINEL)
    seen = {"ran": set(), "dialogs": [], "requests": [], "bad_responses": [], "csp": [], "links": {}, "text": {}}
    page = context.new_page()
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("response", lambda r: seen["bad_responses"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    context.route(re.compile(f"^(?!{re.escape(server.origin)}|data:|blob:|about:)"),
                  lambda route: route.abort("blockedbyclient"))
    try:
        for name in html_pages(site):
            page.goto(server.url(name))
            wait_until_ready(page)
            page.wait_for_timeout(100)  # an onerror of a missing image, an onload of an svg
            found = page.evaluate("""() => ({
                ran: window.__pwned.slice(),
                text: document.body.innerText,
                links: Array.from(document.querySelectorAll('*')).flatMap(e => ['href', 'src', 'action', 'formaction',
                    'xlink:href', 'data'].filter(a => e.hasAttribute(a)).map(a => e.getAttribute(a))),
            })""")
            seen["ran"] |= set(found["ran"])
            seen["links"][name] = found["links"]
            seen["text"][name] = re.sub(r"\s+", " ", found["text"])
    finally:
        context.close()
    return seen


@pytest.mark.parametrize("case", cases())
def test_payload_never_runs(crawl, case):
    assert case not in crawl["ran"]


def test_the_corpus_covers_what_the_issue_lists():
    names = cases()
    for expected in ("service.description.backtick", "service.description.codespan", "alert.description.fence-info",
                     "alert.description.refdef-nextline", "alert.description.refdef-list", "alert.description.nested",
                     "severity.labels.backticks", "service.repository", "rule.alert.name", "rule.labels.severity",
                     "alert.summary.backtick", "alert.owner.backtick", "step.text.backtick", "cause.cause.backtick",
                     "alert.links.title"):
        assert expected in names
    assert len(names) >= 30


def test_no_dialog_opens(crawl):
    assert crawl["dialogs"] == []


def test_nothing_is_fetched_but_the_site_itself(crawl, hostile):
    _, server = hostile
    assert [u for u in crawl["requests"] if not u.startswith((server.origin, "data:", "blob:", "about:"))] == []
    assert [u for u in crawl["requests"] if "/x-" in u] == []  # a payload's element was never created
    assert crawl["bad_responses"] == []


def test_no_link_or_source_is_a_script_or_data_url(crawl):
    bad = {name: [u for u in links if re.match(r"\s*(javascript|vbscript|data):", u or "", re.I)]
           for name, links in crawl["links"].items()}
    assert {name: found for name, found in bad.items() if found} == {}


def test_no_content_security_policy_violation(crawl):
    """runbookgen's own pages never try anything the policy forbids: there is nothing in them that would."""
    assert crawl["csp"] == []


def test_users_plugins_never_read_inventory_or_rule_text(crawl, hostile):
    site, _ = hostile
    everything = "\n".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    assert SECRET not in everything  # snippets never included .env
    assert MACRO_RESULT not in everything  # macros never evaluated {{ 6 * 7007 }}
    page = crawl["text"]["alerts/hostilealert.html"]
    assert "echo {{ 6 * 7007 }} MACRO-RAN-{{ 6 * 7007 }}" in page
    assert '--8<-- ".env"' in page
    assert "{{ 6 * 7007 }}MACRO-RAN-rule" in crawl["text"]["coverage.html"]


@pytest.mark.parametrize("page, text", [
    ("alerts/hostilealert.html", "Summary `<img src=x-summary onerror=\"pwn('alert.summary.backtick')\">`"),
    ("alerts/hostilealert.html", "[click](javascript:pwn(('alert.description.nested')))"),
    ("alerts/hostilealert.html", "kill `</code><svg/onload=pwn('cause.command')>`"),
    ("alerts/hostilealert.html", "up{job=\"</code><img src=x-expr onerror=pwn(`query.expr`)>\"}"),
    ("index.html", "Token forgery: rbgval0z rbgval1z stays text."),
    ("index.html", "https://example.com/repo`<svg/onload=pwn('service.repository')>"),  # CommonMark drops the backslash
    ("severities/index.html", "crit`{: onclick=\"pwn('severity.labels.backticks')\" }`"),
    ("coverage.html", "Rule<img src=x-rule-name onerror=\"pwn('rule.alert.name')\">"),
])
def test_hostile_text_reads_as_written(crawl, page, text):
    assert text in crawl["text"][page]


def test_every_payload_would_run_raw(chromium):
    """The canary: each HTML payload of the corpus, put into a page as it is, runs. So the tests above could fail."""
    snippets = re.findall(r"<script\b[^>]*>.*?</script>|<(?:img|svg)\b[^\n]*?>", corpus_text())
    links = re.findall(r"\]\((javascript:[^\s\]]*?\)+)\)", corpus_text())
    links += re.findall(r"\]:\s*(javascript:\S+)", corpus_text())
    assert len(snippets) >= 20 and len(links) >= 3
    context = chromium.new_context()
    context.add_init_script(SENTINEL)
    page = context.new_page()
    dead = []
    try:
        for snippet in snippets:
            snippet = snippet.replace('\\"', '"')
            page.set_content(f"<!doctype html><body>{snippet}</body>")
            page.wait_for_timeout(30)
            if not page.evaluate("() => window.__pwned.length"):
                dead.append(snippet)
        for target in links:
            page.set_content(f'<!doctype html><body><a id="l" href="{target}">x</a></body>')
            page.click("#l")
            if not page.evaluate("() => window.__pwned.length"):
                dead.append(target)
    finally:
        context.close()
    assert dead == []


def test_from_disk_too_nothing_runs_and_the_policy_is_never_violated(hostile, chromium):
    """The same pages opened from file:// (the site must work offline): the policy holds there as well."""
    site, _ = hostile
    context = chromium.new_context()
    context.add_init_script(SENTINEL)
    context.route(re.compile(r"^(?!file:|data:|blob:|about:)"), lambda route: route.abort("blockedbyclient"))
    page = context.new_page()
    seen = {"csp": [], "dialogs": [], "errors": []}
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    ran = set()
    try:
        for name in html_pages(site):  # 404.html too: it works from disk
            page.goto((site / name).as_uri())
            wait_until_ready(page)
            page.wait_for_timeout(100)
            ran |= set(page.evaluate("() => window.__pwned"))
    finally:
        context.close()
    assert (ran, seen) == (set(), {"csp": [], "dialogs": [], "errors": []})
