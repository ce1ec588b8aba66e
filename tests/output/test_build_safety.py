"""A build replaces only its own site, survives a hostile file system, and never trusts a damaged cache.

Every test runs the CLI the way a user does, against folders and files a careless or hostile
user could leave behind.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES, REPO, run_cli

INVENTORY = (FIXTURES / "minimal" / "runbooks.yaml").read_text()


def _project(tmp_path: Path) -> Path:
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    return tmp_path


def _tree(folder: Path) -> dict[str, tuple]:
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
        found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), content)
    return found


def test_a_folder_that_looks_like_a_site_but_is_not_runbookgens_is_left_alone(tmp_path):
    project = _project(tmp_path)
    victim = project / "victim"
    (victim / ".git").mkdir(parents=True)
    (victim / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (victim / "index.html").write_text("<h1>my own site</h1>")
    (victim / "notes.md").write_text("do not lose this")
    before = _tree(victim)
    result = run_cli("build", "--site-dir", "victim", cwd=project)
    assert result.code == 2, result
    assert "victim:1:1: folder is not empty and was not built by runbookgen" in result.err
    assert _tree(victim) == before


def test_the_marker_is_what_makes_a_site_replaceable_and_a_planted_link_does_not_count(tmp_path):
    project = _project(tmp_path)
    assert run_cli("build", "--no-cache", cwd=project).code == 0
    assert (project / "site" / ".runbookgen-site").is_file()
    assert run_cli("build", "--no-cache", cwd=project).code == 0  # its own site: replaced
    other = project / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    (other / ".runbookgen-site").symlink_to(project / "site" / ".runbookgen-site")
    result = run_cli("build", "--no-cache", "--site-dir", "other", cwd=project)
    assert result.code == 2 and (other / "keep.txt").read_text() == "mine", result


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_the_site_gets_the_mode_the_umask_gives(tmp_path, umask):
    project = _project(tmp_path)
    script = (f"import os, sys; os.umask({umask}); sys.argv = ['runbookgen', 'build']; "
              "from runbookgen.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE((project / "site").stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((project / "site" / "index.html").stat().st_mode) == 0o666 & ~umask


def test_a_site_dir_below_a_file_is_an_input_error(tmp_path):
    project = _project(tmp_path)
    (project / "afile").write_text("x")
    result = run_cli("build", "--site-dir", "afile/site", cwd=project)
    assert result.code == 2 and "afile/site:1:1:" in result.err and "Traceback" not in result.err, result
    assert (project / "afile").read_text() == "x"


@pytest.mark.parametrize("shape", ["file", "unwritable"])
def test_a_build_cache_that_cannot_be_used_is_done_without(tmp_path, shape):
    project = _project(tmp_path)
    cache = project / ".runbookgen-cache"
    if shape == "file":
        cache.write_text("not a folder")
    else:
        cache.mkdir()
        (cache / "site").symlink_to("/proc/self/nonexistent")  # cannot be made a folder, even by root
    result = run_cli("build", cwd=project)
    assert result.code == 0, result
    assert "note: the build cache" in result.err and "built without it" in result.err
    assert (project / "site" / "index.html").is_file()
    if shape == "file":
        assert cache.read_text() == "not a folder"


def test_two_builds_of_one_site_at_once_both_succeed_one_after_the_other(tmp_path):
    project = _project(tmp_path)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "runbookgen", "build", "--full"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert (project / "site" / "alerts" / "higherrorrate.html").is_file()
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]  # no staging folder left behind
    again = run_cli("build", cwd=project)
    assert again.code == 0 and again.out.startswith("nothing changed"), again


def test_a_runtime_error_in_a_user_template_names_the_template_and_line(tmp_path):
    project = _project(tmp_path)
    (project / "templates").mkdir()
    original = (REPO / "runbookgen" / "templates" / "severities.md.j2").read_text()
    (project / "templates" / "severities.md.j2").write_text("# Levels\n\n{{ (1 / 0) }}\n" + original)
    result = run_cli("build", cwd=project)
    assert result.code == 2, result
    assert "templates/severities.md.j2:3:1: template error: ZeroDivisionError" in result.err, result
    assert not (project / "site").exists()


def test_a_damaged_file_in_the_build_cache_is_not_served(tmp_path):
    project = _project(tmp_path)
    assert run_cli("build", cwd=project).code == 0
    cached = next((project / ".runbookgen-cache").rglob("higherrorrate.md"))
    cached.write_text(cached.read_text().replace("Too many 5xx", "DAMAGED"))
    # A new alert changes the navigation: the next build renders every page from the cached Markdown,
    # rewriting only the pages whose digest changed. It must not trust the damaged one.
    (project / "runbooks.yaml").write_text(INVENTORY + "  - name: Third\n    severity: warning\n    summary: new\n")
    assert run_cli("build", cwd=project).code == 0
    page = (project / "site" / "alerts" / "higherrorrate.html").read_text()
    assert "Too many 5xx" in page and "DAMAGED" not in page


def test_a_site_file_edited_in_place_is_rebuilt_not_kept(tmp_path):
    project = _project(tmp_path)
    assert run_cli("build", cwd=project).code == 0
    page = project / "site" / "alerts" / "higherrorrate.html"
    text = page.read_text()
    with open(page, "r+", encoding="utf-8") as handle:  # in place: no folder changes
        handle.write("<!-- damaged -->")
    result = run_cli("build", cwd=project)
    assert result.code == 0 and "nothing changed" not in result.out, result
    assert page.read_text() == text


def test_damaged_compiled_templates_in_the_user_cache_are_compiled_again(tmp_path):
    project = _project(tmp_path)
    cache_home = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache_home)}
    assert run_cli("build", "--no-cache", cwd=project, env=env).code == 0
    entries = [p for p in cache_home.rglob("*") if p.is_file() and "templates-" in str(p.parent)]
    assert entries
    for i, entry in enumerate(entries):  # flip bytes inside the marshalled code, keeping the length
        data = bytearray(entry.read_bytes())
        for at in range(len(data) // 2, len(data), max(1, len(data) // 50)):
            data[at] ^= 0x5A
        entry.write_bytes(bytes(data))
    before = _tree(project / "site")
    result = run_cli("build", "--no-cache", cwd=project, env=env)
    assert result.code == 0, result
    assert _tree(project / "site") == before
