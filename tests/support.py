"""Helpers shared by the test modules: where things are, and running the CLI as a user would.

(A module of its own, not conftest.py: test folders have conftest files of their own, and
``from conftest import`` would pick whichever was imported first.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def start_serve(tmp_path):
    """`runbookgen serve` in a fresh service folder, with its own TMPDIR: (process, port, inventory, TMPDIR)."""
    folder = tmp_path / "svc"
    folder.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    inventory = folder / "runbooks.yaml"
    inventory.write_text((FIXTURES / "minimal" / "runbooks.yaml").read_text())
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "runbookgen", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, port, inventory, scratch
