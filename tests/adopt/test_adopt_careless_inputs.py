"""The adoption path on rule files as careless users leave them: empty values, read-only files.

Each rule file here passes ``promtool check rules``; annotate must edit what it may, leave alone
what the user protected, and name every rule it did not set, with its place and the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "careless"
SITE = "https://runbooks.example.com/"


def page(name: str) -> str:
    return f"{SITE}alerts/{name.lower()}.html"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "rules", tmp_path / "rules")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: careless\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: careless\nsite_url: {SITE}\nuse_directory_urls: false\n")
    result = run_cli("import", cwd=tmp_path)
    assert result.code == 0, result
    return tmp_path


def annotations_of(path: Path) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {r["alert"]: r.get("annotations") or {} for g in data["groups"] for r in g["rules"]}


def test_a_runbook_url_key_written_without_a_value_gets_one(project):
    """``runbook_url:`` with nothing after it, followed by more keys: promtool reads it as empty; annotate fills it
    in place instead of refusing."""
    target = project / "rules" / "empty-values.yaml"
    before = target.read_text()
    result = run_cli("annotate", cwd=project)
    assert result.code == 0, result
    after = target.read_text()
    assert annotations_of(target)["NullUrl"] == {"runbook_url": page("NullUrl"), "summary": "y"}
    # filled on its own line: the rule's lines are the old ones with the value after the colon
    old_rule = before[before.index("- alert: NullUrl"):before.index("- alert: BlockUrl")]
    assert old_rule.replace("runbook_url:\n", f"runbook_url: {page('NullUrl')}\n") in after
    again = run_cli("annotate", "--check", cwd=project)
    assert again.code == 0, again


def _lock(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def test_a_read_only_rule_file_is_left_as_it_is_and_named(project):
    """A rule file without write permission is a file the team does not want edited (generated, vendored): annotate
    leaves its bytes and mode alone, names each of its rules with file:line, edits the other files, exits 1."""
    locked, locked_too = project / "rules" / "locked.yaml", project / "rules" / "locked-too.yaml"
    for path in (locked, locked_too):
        _lock(path)
    before = {p: (p.read_bytes(), os.stat(p).st_ino) for p in (locked, locked_too)}
    result = run_cli("annotate", cwd=project)
    assert result.code == 1, result
    for path, (data, inode) in before.items():
        assert path.read_bytes() == data
        assert os.stat(path).st_ino == inode  # not replaced by a new file either
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert "rules/locked.yaml:4:9: alert 'LockedAlert': cannot set runbook_url: the file is read-only" in result.err
    assert "rules/locked-too.yaml:4:9: alert 'LockedToo': cannot set runbook_url: the file is read-only" in result.err
    assert annotations_of(project / "rules" / "plain.yaml")["PlainAlert"]["runbook_url"] == page("PlainAlert")
    check = run_cli("annotate", "--check", cwd=project)
    assert check.code == 1, check
    assert "rules/locked.yaml:4:9" in check.out + check.err


def test_annotate_still_reports_the_read_only_file_when_it_is_already_right(project):
    """Nothing to change in a read-only file is not a problem: only files that need an edit are named."""
    assert run_cli("annotate", cwd=project).code == 0
    _lock(project / "rules" / "locked.yaml")
    result = run_cli("annotate", cwd=project)
    assert result.code == 0, result
    assert "read-only" not in result.err


def _as_unprivileged() -> list[str] | None:
    """A command prefix under which file permissions apply (root ignores them), or None when there is none."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--inh-caps", "-all"]


def test_a_folder_that_cannot_be_written_stops_no_other_file_and_every_rule_is_named(project):
    """Files in a folder the user cannot write: each of their rules is named with the reason, files elsewhere are
    still edited, nothing is left half-written, exit 1 (it used to stop at the first file, naming only it)."""
    prefix = _as_unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    locked = project / "rules" / "locked"
    locked.mkdir()
    for name in ("locked.yaml", "locked-too.yaml"):
        (project / "rules" / name).rename(locked / name)
    before = {p: p.read_bytes() for p in locked.iterdir()}
    locked.chmod(0o555)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "runbookgen", "annotate"], cwd=project,
                              capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "rules/locked/locked.yaml:4:9: alert 'LockedAlert': cannot set runbook_url: the file could not be written" \
        in proc.stderr
    assert "rules/locked/locked-too.yaml:4:9: alert 'LockedToo'" in proc.stderr
    assert {p: p.read_bytes() for p in locked.iterdir()} == before
    assert annotations_of(project / "rules" / "plain.yaml")["PlainAlert"]["runbook_url"] == page("PlainAlert")


def test_import_names_each_existing_link_it_cannot_keep_before_annotate_replaces_it(tmp_path):
    """A templated or relative runbook_url cannot be a page's link, so annotate replaces it; import says so up front,
    with the link's place, instead of only in a comment inside the inventory (the wiki link is kept)."""
    shutil.copytree(FIXTURES / "rules", tmp_path / "rules")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: careless\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: careless\nsite_url: {SITE}\n")
    result = run_cli("import", cwd=tmp_path)
    assert result.code == 0, result
    for where, alert, link in (("9:24", "TemplatedUrl", "https://wiki.example.com/runbooks/{{ $labels.job }}"),
                               ("15:24", "RelativeUrl", "../docs/runbooks/relative.md"),
                               ("27:24", "TemplatedFull", "{{ $externalURL }}/runbooks/TemplatedFull")):
        assert (f"rules/links.yaml:{where}: alert '{alert}': its runbook_url '{link}' is not a plain http(s) URL"
                in result.err), result
    assert "WikiUrl" not in result.err
    assert "2 alerts already link to a runbook elsewhere: kept as their runbook_url" in result.err
    entries = {a["name"]: a for a in yaml.safe_load((tmp_path / "runbooks.yaml").read_text())["alerts"]}
    assert entries["WikiUrl"]["runbook_url"] == "https://confluence.example.com/display/OPS/WikiUrl"
    assert "runbook_url" not in entries["TemplatedUrl"]


def test_a_runbook_url_that_comes_from_a_merge_key_and_is_right_is_left_alone(tmp_path):
    """YAML merge keys bring annotations in (``<<: *base``, ``<<: {runbook_url: ...}``); when the merged runbook_url
    is already the right one, annotate has nothing to do there: it used to insert a duplicate line, or refuse the rule
    and fail --check for good although lint and the ruler both read the right link."""
    project = tmp_path
    shutil.copytree(FIXTURES / "merge", project / "rules")
    (project / "runbooks.yaml").write_text("version: 1\nservice:\n  name: merge\nlint:\n  rules: [rules/]\n")
    (project / "mkdocs.yml").write_text(f"site_name: merge\nsite_url: {SITE}\n")
    assert run_cli("import", cwd=project).code == 0
    target = project / "rules" / "merge-keys.yaml"
    before = target.read_text()
    result = run_cli("annotate", cwd=project)
    assert "MergedRule" not in result.err, result
    assert "MergedUrl" not in result.out + result.err, result
    assert target.read_text() == before
    check = run_cli("annotate", "--check", cwd=project)
    assert "merge-keys.yaml" not in check.out + check.err, check


def test_a_file_whose_lines_end_in_a_bare_cr_keeps_them(tmp_path):
    """YAML (and promtool) read a bare CR as a line break; an inserted runbook_url line ends the same way, instead
    of bringing the first LF into the file."""
    (tmp_path / "rules").mkdir()
    text = ("groups:\r  - name: cr\r    rules:\r      - alert: CrOnly\r        expr: up == 0\r        labels:\r"
            "          severity: warning\r        annotations:\r          summary: x\r")
    (tmp_path / "rules" / "cr.yaml").write_bytes(text.encode())
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: cr\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: cr\nsite_url: {SITE}\nuse_directory_urls: false\n")
    assert run_cli("import", cwd=tmp_path).code == 0
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 0, result
    after = (tmp_path / "rules" / "cr.yaml").read_bytes().decode()
    assert after == text + f"          runbook_url: {page('CrOnly')}\r"


def test_import_never_says_every_alert_has_a_runbook_when_one_cannot_get_one(tmp_path):
    """An alert whose name can get no page (here one longer than 256 characters) is named, and the closing line
    must not claim that every alert has a runbook."""
    long_name = "A" * 300
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(
        "groups:\n  - name: g\n    rules:\n      - alert: " + long_name + "\n        expr: up == 0\n"
        "        labels:\n          severity: warning\n")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: x\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nsite_url: {SITE}\n")
    result = run_cli("import", cwd=tmp_path)
    assert f"rules/r.yaml:4:9: alert '{long_name}' gets no stub" in result.err, result
    assert "every alert" not in result.err, result
    assert "1 alert cannot get a runbook until renamed" in result.err, result


def test_alerts_named_like_the_alert_index_get_pages_of_their_own(tmp_path):
    """'index', 'Index' and 'INDEX' are names Prometheus accepts: each gets a stub, a page and a link, and the
    site's alert index stays the alert index."""
    (tmp_path / "rules").mkdir()
    rules = "".join(f"      - alert: {name}\n        expr: up == 0\n        labels:\n          severity: warning\n"
                    for name in ("index", "Index", "INDEX"))
    (tmp_path / "rules" / "r.yaml").write_text("groups:\n  - name: g\n    rules:\n" + rules)
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: x\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nsite_url: {SITE}\nuse_directory_urls: false\n")
    assert run_cli("import", cwd=tmp_path).code == 0
    assert run_cli("annotate", cwd=tmp_path).code == 0
    urls = [line.split("runbook_url: ")[1] for line in (tmp_path / "rules" / "r.yaml").read_text().splitlines()
            if "runbook_url: " in line]
    assert len(urls) == 3 and len(set(urls)) == 3
    assert all(url.startswith(SITE + "alerts/index-") and url.endswith(".html") for url in urls), urls
    lint = run_cli("lint", cwd=tmp_path)
    assert lint.code == 0, lint
    build = run_cli("build", cwd=tmp_path)
    assert build.code == 0, build
    titles = sorted(re.search(r"<title>(.*?) -", (tmp_path / "site" / url.removeprefix(SITE)).read_text()).group(1)
                    for url in urls)
    assert titles == ["INDEX", "Index", "index"]
    assert "Alerts" in (tmp_path / "site" / "alerts" / "index.html").read_text()
