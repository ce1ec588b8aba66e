"""Shared fixtures: run the CLI as a user would, and find the shared corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(os.environ.get("RUNBOOKGEN_CORPUS", REPO.parent / "shared" / "corpus"))


class Result:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self) -> str:
        return f"<exit {self.code}>\nstdout:\n{self.out}\nstderr:\n{self.err}"


def run_cli(*args, cwd=None, env=None, timeout=300) -> Result:
    """Run ``python -m runbookgen ARGS`` in a subprocess, exactly as a user's shell would."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env.pop("RUNBOOKGEN_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "runbookgen", *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    return Result(proc)


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
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set RUNBOOKGEN_CORPUS to its path)")
    return CORPUS
