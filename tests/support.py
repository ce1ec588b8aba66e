"""Helpers shared by the test modules: where things are, and running the CLI as a user would.

(A module of its own, not conftest.py: test folders have conftest files of their own, and
``from conftest import`` would pick whichever was imported first.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
