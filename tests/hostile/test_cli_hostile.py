"""Hostile inventories through the command line: what a build refuses, what validate reports, what a terminal sees.

Each test was run once against the code without the defence it checks, and failed there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, REPO, run_cli

MINIMAL = FIXTURES / "minimal" / "runbooks.yaml"


@pytest.fixture
def service(tmp_path) -> Path:
    shutil.copy(MINIMAL, tmp_path / "runbooks.yaml")
    return tmp_path


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "runbooks.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# ------------------------------------------------------------------------------------------- incident

ESCAPES = '"\\e[2J\\e]0;owned\\a\\x9b31m\\u202egnp.exe\\r"'


@pytest.mark.parametrize("to_file", [False, True])
def test_incident_never_writes_terminal_control_sequences(service, to_file):
    edit(service, "summary: Too many 5xx", f"summary: {ESCAPES}")
    edit(service, "team: sre", f"team: {ESCAPES}")
    args = ["incident", "HighErrorRate"] + (["--out", "report.md"] if to_file else [])
    result = run_cli(*args, cwd=service)
    assert result.code == 0, result
    written = (service / "report.md").read_text() if to_file else result.out
    assert re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", written) == []
    assert "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202egnp.exe" in written  # shown, visibly escaped


# ------------------------------------------------------------------------------------------- validate

def test_validate_reports_a_relative_link_that_points_nowhere(service):
    edit(service, "summary: Too many 5xx", "summary: See [the doc](missing-page.md) first")
    edit(service, "summary: other thing", "summary: other thing\n    description: |-\n      Fine: [ok](procedures.md#x)"
                                          "\n\n      - in a list [ref][r]\n\n        [r]:\n          ../../etc/passwd")
    result = run_cli("validate", cwd=service)
    assert result.code == 2
    lines = result.err.splitlines()
    assert re.match(r"runbooks\.yaml:\d+:\d+: link to 'missing-page\.md' points nowhere in the site", lines[0]), lines
    assert re.match(r"runbooks\.yaml:\d+:\d+: link to '\.\./\.\./etc/passwd' points nowhere", lines[1]), lines
    assert "procedures.md" not in " ".join(lines[:2]).split("points nowhere")[0]
    assert lines[-1] == "2 problems found"
    build = run_cli("build", cwd=service)  # the build stops at the same place, before any site work
    assert build.code == 2 and build.err.splitlines()[:2] == lines[:2]


def test_prose_links_resolve_from_every_page_that_shows_them(service):
    edit(service, "summary: Too many 5xx", "summary: See [the doc](procedures.md#top) and [other](alerts/other.md)")
    assert run_cli("build", cwd=service).code == 0
    site = service / "site"
    assert '<a href="../procedures.html#top">the doc</a>' in (site / "alerts" / "higherrorrate.html").read_text()
    assert '<a href="other.html">other</a>' in (site / "alerts" / "higherrorrate.html").read_text()
    assert '<a href="../procedures.html#top">the doc</a>' in (site / "alerts" / "index.html").read_text()


def test_site_pages_known_to_validate_are_the_pages_the_build_writes(service):
    from runbookgen.inventory import load_inventory
    from runbookgen.inventory.prose_links import site_pages

    assert run_cli("build", "--docs-dir", "md", cwd=service).code == 0
    written = {p.relative_to(service / "md").as_posix() for p in (service / "md").rglob("*.md")}
    downloads = {p.relative_to(service / "site").as_posix() for p in (service / "site" / "incidents").rglob("*.md")}
    assert site_pages(load_inventory(str(service / "runbooks.yaml"))) == written | downloads


# ---------------------------------------------------------------------------------------------- build

def test_every_page_carries_a_policy_without_inline_script(service):
    assert run_cli("build", cwd=service).code == 0
    pages = sorted((service / "site").rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text()
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy, page
        directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
        assert html.index("Content-Security-Policy") < html.index("<script"), page  # before any script


@pytest.mark.parametrize("markup, what", [
    ('<img src=x onerror="alert(1)">', "event handler attribute onerror"),
    ("<script>alert(1)</script>", "<script> element"),
    ('<a href=" java\tscript:alert(1)">x</a>', "script or data URL in href"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "srcdoc"),
])
def test_the_build_refuses_a_page_with_active_content(service, markup, what):
    """Even from a template (trusted code), a page that would run script is not published; the old site stays."""
    assert run_cli("build", cwd=service).code == 0
    before = (service / "site" / "procedures.html").read_bytes()
    (service / "templates").mkdir()
    source = (REPO / "runbookgen" / "templates" / "procedures.md.j2").read_text()
    (service / "templates" / "procedures.md.j2").write_text(source + "\n\n" + markup + "\n")
    result = run_cli("build", cwd=service)
    assert result.code == 2, result
    assert re.search(r"^site page procedures\.md:1:1: .*" + re.escape(what), result.err, re.M), result.err
    assert "Traceback" not in result.err
    assert (service / "site" / "procedures.html").read_bytes() == before


def test_a_value_that_would_carry_active_content_is_reported_at_its_inventory_line(service, monkeypatch):
    """The check behind the sanitizer: were prose rendering ever to let markup through, the build names the line."""
    from runbookgen.generate import prose
    from runbookgen.generate.render import render_pages
    from runbookgen.inventory import load_inventory
    from runbookgen.problems import InputError

    edit(service, "summary: Too many 5xx", "summary: 'Too many <img src=x onerror=alert(1)>'")
    line = next(n for n, text in enumerate((service / "runbooks.yaml").read_text().splitlines(), 1) if "onerror" in text)
    monkeypatch.setattr(prose, "prose_inline", lambda text: text)  # a sanitizer that lets everything through
    with pytest.raises(InputError) as caught:
        render_pages(load_inventory(str(service / "runbooks.yaml")))
    problems = caught.value.problems
    assert problems and all(p.pos.line == line and p.pos.file.endswith("runbooks.yaml") for p in problems)
    assert "event handler attribute onerror" in problems[0].message


def test_headings_made_of_values_get_anchors_and_contents_entries_from_their_text(service):
    # Health checks are headed by their names (the alert page's causes and queries are no longer headings).
    (service / "runbooks.yaml").write_text((service / "runbooks.yaml").read_text() + (
        "health_checks:\n"
        "  - {name: 'Disk **full** <b>again</b>', component: disk, kind: command, command: df -h, expect: room}\n"
        "  - {name: 'Disk full bagainb', component: disk, kind: command, command: df -i, expect: inodes}\n"))
    assert run_cli("build", cwd=service).code == 0
    page = (service / "site" / "health-checks.html").read_text()
    assert '<h2 id="disk-full-bagainb">Disk <strong>full</strong> &lt;b&gt;again&lt;/b&gt;' in page
    assert '<h2 id="disk-full-bagainb_1">Disk full bagainb' in page
    toc = re.findall(r'<a href="#(disk-full-bagainb[^"]*)" class="md-nav__link">\s*(?:<span class="md-ellipsis">)?\s*([^<]*)',
                     page)
    assert [(anchor, " ".join(text.split())) for anchor, text in toc][:2] == [
        ("disk-full-bagainb", "Disk full &lt;b&gt;again&lt;/b&gt;"), ("disk-full-bagainb_1", "Disk full bagainb")]
    assert "rbgval" not in page
