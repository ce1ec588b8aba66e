"""A build killed at any moment, or two builds at once, never leave a half-written site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from support import run_cli
from test_build import copy_example, snapshot

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def build_env():
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH}


def reference_site(folder, tmp_path, name):
    """The complete site these inputs give, built elsewhere."""
    other = copy_example(tmp_path / name)
    (other / "runbooks.yaml").write_text((folder / "runbooks.yaml").read_text())
    assert run_cli("build", "--no-cache", cwd=other, env=EPOCH).code == 0
    return snapshot(other / "site")


def edit_summary(folder, words):
    """Save an edit the way editors do: a new file renamed over the old, so a build never reads half of it."""
    text = (folder / "runbooks.yaml").read_text()
    (folder / "runbooks.yaml.tmp").write_text(text.replace("    summary: ", f"    summary: {words} ", 1))
    os.replace(folder / "runbooks.yaml.tmp", folder / "runbooks.yaml")


@pytest.mark.parametrize("delay", [0.05, 0.4, 0.8, 1.2, 1.6])
def test_build_killed_at_any_moment_leaves_a_complete_site(tmp_path, delay):
    folder = copy_example(tmp_path / "svc")
    assert run_cli("build", "--no-cache", cwd=folder, env=EPOCH).code == 0
    old = snapshot(folder / "site")
    edit_summary(folder, "Changed")
    new = reference_site(folder, tmp_path, "ref")
    proc = subprocess.Popen([sys.executable, "-m", "runbookgen", "build", "--no-cache"], cwd=folder,
                            env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # the build and any worker it forked
    proc.wait()
    now = snapshot(folder / "site")
    assert now == old or now == new, "the site is neither the previous one nor the new one"


def test_two_builds_at_once_end_with_one_complete_site(tmp_path):
    folder = copy_example(tmp_path / "svc")
    assert run_cli("build", "--no-cache", cwd=folder, env=EPOCH).code == 0
    edit_summary(folder, "First")
    first = reference_site(folder, tmp_path, "ref1")
    procs = [subprocess.Popen([sys.executable, "-m", "runbookgen", "build", "--no-cache"], cwd=folder,
                              env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)]
    time.sleep(0.3)
    edit_summary(folder, "Second")
    second = reference_site(folder, tmp_path, "ref2")
    procs.append(subprocess.Popen([sys.executable, "-m", "runbookgen", "build", "--no-cache"], cwd=folder,
                                  env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert snapshot(folder / "site") in (first, second)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".site")] == []
