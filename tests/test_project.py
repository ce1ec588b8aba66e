"""One project, resolved once: every command sees the same inventory, mkdocs.yml and page addresses.

Each test is a bug that came from a command reading an input its own way.
"""

from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

import pytest

from support import FIXTURES, run_cli

INVENTORY = (FIXTURES / "minimal" / "runbooks.yaml").read_text()
RULES = """groups:
  - name: demo
    rules:
      - alert: HighErrorRate
        expr: sum(rate(x[5m])) > 1
        labels:
          severity: critical
      - alert: Other
        expr: up == 0
        labels:
          severity: warning
"""


def _subfolder_project(tmp_path: Path, directory_urls: bool) -> Path:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "runbooks.yaml").write_text(INVENTORY)
    (sub / "rules.yaml").write_text(RULES)
    (sub / "mkdocs.yml").write_text(f"site_name: Demo\nsite_url: https://runbooks.example.com/demo/\n"
                                    f"use_directory_urls: {'true' if directory_urls else 'false'}\n")
    # A decoy in the working folder: the old build read ./mkdocs.yml, the other commands sub/mkdocs.yml.
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Decoy\nsite_url: https://decoy.example.com/\n"
                                         f"use_directory_urls: {'false' if directory_urls else 'true'}\n")
    return sub


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-pages"])
def test_build_annotate_and_lint_agree_on_every_page_address(tmp_path, directory_urls):
    sub = _subfolder_project(tmp_path, directory_urls)
    built = run_cli("build", "-i", "sub/runbooks.yaml", "--site-dir", "out", cwd=tmp_path)
    assert built.code == 0, built
    annotated = run_cli("annotate", "-i", "sub/runbooks.yaml", "--rules", "sub/rules.yaml", cwd=tmp_path)
    assert annotated.code == 0, annotated
    urls = re.findall(r"runbook_url: ['\"]?(\S+?)['\"]?$", (sub / "rules.yaml").read_text(), re.MULTILINE)
    assert len(urls) == 2
    for url in urls:
        assert url.startswith("https://runbooks.example.com/demo/alerts/")
        path = url.removeprefix("https://runbooks.example.com/demo/")
        assert path.endswith("/") == directory_urls
        page = tmp_path / "out" / (path + "index.html" if path.endswith("/") else path)
        assert page.is_file(), f"runbook_url {url} points at no built page"
    assert run_cli("annotate", "-i", "sub/runbooks.yaml", "--rules", "sub/rules.yaml", "--check",
                   cwd=tmp_path).code == 0
    linted = run_cli("lint", "-i", "sub/runbooks.yaml", "--rules", "sub/rules.yaml", "--format", "json",
                     cwd=tmp_path)
    assert "runbook-url" not in linted.out, linted


def test_an_explicit_config_wins_and_a_missing_one_is_an_error(tmp_path):
    sub = _subfolder_project(tmp_path, True)
    other = tmp_path / "other.yml"
    other.write_text("site_name: Other\nsite_url: https://other.example.com/\nuse_directory_urls: false\n")
    assert run_cli("build", "-i", "sub/runbooks.yaml", "-f", "other.yml", "--site-dir", "out", cwd=tmp_path).code == 0
    assert (tmp_path / "out" / "alerts" / "higherrorrate.html").is_file()
    for command in (["build"], ["lint", "--rules", "sub/rules.yaml"], ["incident", "HighErrorRate"],
                    ["export-rules", "--out", "x"]):
        result = run_cli(*command, "-i", "sub/runbooks.yaml", "-f", "missing.yml", cwd=tmp_path)
        assert result.code == 2, (command, result)
        assert "missing.yml:1:1: mkdocs configuration file not found" in result.err, (command, result)
    assert (sub / "runbooks.yaml").read_text() == INVENTORY


LOADER_PROBLEMS = {
    "duplicate-key": (INVENTORY.replace("  team: sre\n", "  team: sre\n  team: ops\n"), "duplicate key"),
    "include-matches-nothing": (INVENTORY.replace("version: 1\n", "version: 1\ninclude: [teams/*.yaml]\n"),
                                "matches no file"),
}


@pytest.mark.parametrize("case", sorted(LOADER_PROBLEMS))
def test_lint_reports_every_loader_problem_validate_reports(tmp_path, case):
    text, words = LOADER_PROBLEMS[case]
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "rules.yaml").write_text(RULES)
    validated = run_cli("validate", cwd=tmp_path)
    linted = run_cli("lint", "--rules", "rules.yaml", cwd=tmp_path)
    assert validated.code == linted.code == 2, (validated, linted)
    problems = [line for line in validated.err.splitlines() if words in line]
    assert problems and all(line in linted.err.splitlines() for line in problems), (validated, linted)


def test_lint_still_reports_duplicate_alert_names_as_findings(tmp_path):
    text = INVENTORY + "  - name: Other\n    severity: warning\n    summary: again\n"
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "rules.yaml").write_text(RULES)
    assert run_cli("validate", cwd=tmp_path).code == 2
    linted = run_cli("lint", "--rules", "rules.yaml", cwd=tmp_path)
    assert linted.code == 1 and "RB" in linted.out and "Other" in linted.out, linted


# Inventories the old build fingerprint read with a regex of its own, and so missed what they include.
QUOTED_INCLUDE = INVENTORY.replace("version: 1\n", 'version: 1\n"include": [more/*.yaml]\n')
FLOW_INCLUDE = INVENTORY.replace("version: 1\n", "version: 1\ninclude: [\n  more/*.yaml\n]\n")
INDENTED_DOC = "---\n" + INVENTORY.replace("version: 1\n", "version: 1\n'include':\n- more/*.yaml\n")
EXTRA = """alerts:
  - name: {name}
    severity: warning
    summary: added later
"""


@pytest.mark.parametrize("text", [QUOTED_INCLUDE, FLOW_INCLUDE, INDENTED_DOC], ids=["quoted", "flow", "document"])
def test_an_alert_added_in_an_included_file_gets_its_page_however_include_is_spelt(tmp_path, text):
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "a.yaml").write_text(EXTRA.format(name="FirstExtra"))
    assert run_cli("build", cwd=tmp_path).code == 0
    assert (tmp_path / "site" / "alerts" / "firstextra.html").is_file()
    (tmp_path / "more" / "b.yaml").write_text(EXTRA.format(name="SecondExtra"))  # a new file the glob matches
    second = run_cli("build", cwd=tmp_path)
    assert second.code == 0 and "nothing changed" not in second.out, second
    assert (tmp_path / "site" / "alerts" / "secondextra.html").is_file()
    (tmp_path / "more" / "a.yaml").write_text(EXTRA.format(name="Renamed"))  # an edit in an included file
    third = run_cli("build", cwd=tmp_path)
    assert third.code == 0 and "nothing changed" not in third.out, third
    assert (tmp_path / "site" / "alerts" / "renamed.html").is_file()
    assert run_cli("build", cwd=tmp_path).out.startswith("nothing changed")


def test_a_rule_file_change_reaches_the_coverage_page_however_lint_is_spelt(tmp_path):
    text = INVENTORY.replace("version: 1\n", 'version: 1\n"lint": {"rules": ["rules/*.yaml"]}\n')
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yaml").write_text(RULES)
    assert run_cli("build", cwd=tmp_path).code == 0
    coverage = next((tmp_path / "site").rglob("coverage*.html")).read_text()
    assert "GhostAlert" not in coverage
    (tmp_path / "rules" / "b.yaml").write_text(RULES.replace("HighErrorRate", "GhostAlert").replace(
        "- alert: Other\n        expr: up == 0\n        labels:\n          severity: warning\n", ""))
    again = run_cli("build", cwd=tmp_path)
    assert again.code == 0 and "nothing changed" not in again.out, again
    assert "GhostAlert" in next((tmp_path / "site").rglob("coverage*.html")).read_text()


@pytest.mark.parametrize("pattern, words", [
    ("https://x.example.com/{name.foo}", "unknown field {name.foo}"),
    ("https://x.example.com/{name:>300000000}", "unknown field {name:>300000000}"),
    ("https://x.example.com/{slug", "never closed"),
    ("https://x.example.com/}{slug}", "closes nothing"),
    ("https://x.example.com/{0}", "unknown field {0}"),
])
def test_a_runbook_url_pattern_is_parsed_and_every_command_says_what_is_wrong(tmp_path, pattern, words):
    text = INVENTORY + f"lint:\n  runbook_url: '{pattern}'\n"
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "rules.yaml").write_text(RULES)
    before = (tmp_path / "rules.yaml").read_bytes()
    for command in (["validate"], ["lint", "--rules", "rules.yaml"], ["annotate", "--rules", "rules.yaml"],
                    ["export-rules", "--out", "exported"]):
        result = run_cli(*command, cwd=tmp_path, timeout=60)
        assert result.code == 2, (command, result)
        assert "runbooks.yaml:" in result.err and words in result.err and "Traceback" not in result.err, result
    assert (tmp_path / "rules.yaml").read_bytes() == before
    assert not (tmp_path / "exported").exists()


def test_a_pattern_with_literal_braces_and_every_field_fills_in(tmp_path):
    from runbookgen.addresses import runbook_url

    url = runbook_url("Disk_Full", site_url="https://r.example.com", html_pages=True,
                      pattern="{site_url}{path}?n={name}&s={slug}&x={{y}}")
    assert url == "https://r.example.com/alerts/disk-full.html?n=Disk_Full&s=disk-full&x={y}"


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "１２", "9" * 40])
@pytest.mark.parametrize("command", [["validate"], ["build"], ["lint", "--rules", "rules.yaml"]])
def test_a_malformed_source_date_epoch_is_an_input_error(tmp_path, value, command):
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    (tmp_path / "rules.yaml").write_text(RULES)
    result = run_cli(*command, cwd=tmp_path, env={"SOURCE_DATE_EPOCH": value})
    assert result.code == 2, result
    assert "$SOURCE_DATE_EPOCH:1:1:" in result.err and "whole number of seconds" in result.err, result
    assert not (tmp_path / "site").exists()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("where", ["inventory", "include"])
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path, where):
    if where == "inventory":
        _fifo(tmp_path / "runbooks.yaml")
        expected = "runbooks.yaml:1:1: is a named pipe (FIFO), not a regular file"
    else:
        (tmp_path / "runbooks.yaml").write_text(INVENTORY.replace("version: 1\n", "version: 1\ninclude: [x.yaml]\n"))
        _fifo(tmp_path / "x.yaml")
        expected = "x.yaml:1:1: is a named pipe (FIFO), not a regular file"
    started = time.monotonic()
    for command in ("validate", "build"):
        result = run_cli(command, cwd=tmp_path, timeout=30)
        assert result.code == 2 and expected in result.err, result
    assert time.monotonic() - started < 30


def test_an_include_glob_over_symlink_loops_ends(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(INVENTORY.replace("version: 1\n", "version: 1\ninclude: ['teams/**/*.yaml']\n"))
    teams = tmp_path / "teams"
    (teams / "a" / "b").mkdir(parents=True)
    (teams / "a" / "b" / "one.yaml").write_text(EXTRA.format(name="Looped"))
    for i, target in enumerate([".", "..", str(teams), str(teams / "a")]):  # loops at every depth, and a fan-out
        (teams / "a" / "b" / f"loop{i}").symlink_to(target)
        (teams / "a" / f"up{i}").symlink_to(teams)
    result = run_cli("validate", cwd=tmp_path, timeout=60)
    assert result.code == 0, result
    assert "3 alerts" in result.out  # the included alert counted once, however many ways lead to it


def test_serve_on_a_port_in_use_or_a_bad_host_is_an_input_error(tmp_path):
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = run_cli("serve", "--dev-addr", f"127.0.0.1:{port}", cwd=tmp_path, timeout=120)
    assert busy.code == 2 and f"cannot serve on 127.0.0.1:{port}" in busy.err and "Traceback" not in busy.err, busy
    bad = run_cli("serve", "--dev-addr", "no-such-host.invalid:8000", cwd=tmp_path, timeout=120)
    assert bad.code == 2 and "cannot serve on no-such-host.invalid:8000" in bad.err, bad
    nonsense = run_cli("serve", "--dev-addr", "127.0.0.1:99999", cwd=tmp_path, timeout=60)
    assert nonsense.code == 2 and "99999" in nonsense.err, nonsense
