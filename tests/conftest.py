"""Shared fixtures: run the CLI as a user would, and find the shared corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lint_helpers import Project
from support import CORPUS, FIXTURES, run_cli


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def workdir(tmp_path):
    """A scratch folder to run commands in."""
    return tmp_path


@pytest.fixture
def copy_fixture(tmp_path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    """A scratch project (inventory + rule files) linted in-process; see lint_helpers.py."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set RUNBOOKGEN_CORPUS to its path)")
    return CORPUS


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory):
    """The suite's own user cache folder (compiled templates, the LogQL grammar), not the user's, so that
    nothing a developer's earlier runs left there can change a result. Subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


def pytest_collection_modifyitems(session, config, items):
    """Browser tests run last: their browser and web server live for the rest of the session, and while
    those threads run, builds in this process do not fork (see runbookgen.processes.forking_allowed),
    so tests of parallel builds that came after them would quietly test one process."""
    browser = Path(__file__).parent / "browser"
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(browser))  # stable: order kept within each part
    # Markers for a quick local loop (`pytest -m "not slow"`); the README's test command runs everything.
    slow_folders = [Path(__file__).parent / name for name in SLOW_FOLDERS]
    for item in items:
        path = Path(str(item.path))
        if path.is_relative_to(browser):
            item.add_marker(pytest.mark.browser)
        if any(path.is_relative_to(folder) for folder in slow_folders) or "corpus" in path.name:
            item.add_marker(pytest.mark.slow)


SLOW_FOLDERS = ("browser", "perf", "hostile", "live", "queries")
