"""`runbookgen serve`: the preview rebuilds on save and survives a broken edit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from support import FIXTURES


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


def test_serve_rebuilds_on_save_and_keeps_last_good_site(tmp_path):
    proc, port, inventory, scratch = start_serve(tmp_path)
    page = f"http://127.0.0.1:{port}/alerts/other.html"
    try:
        assert "other thing" in wait_for(lambda: fetch(page))
        inventory.write_text(inventory.read_text().replace("summary: other thing", "summary: a brand new summary"))
        wait_for(lambda: "a brand new summary" in fetch(page))
        inventory.write_text(inventory.read_text().replace("summary: a brand new summary", "sumary: broken"))
        time.sleep(2)
        assert "a brand new summary" in fetch(page)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"serving on http://127.0.0.1:{port}/" in err
    assert "unknown key 'sumary'" in err and "still serving the last good site" in err
    assert "Traceback" not in err
    assert proc.returncode == -signal.SIGTERM  # ended by the signal, as a service manager expects of a stop
    assert list(scratch.iterdir()) == []  # the preview site and its cache are gone


@pytest.mark.parametrize("signum, code, words", [
    (signal.SIGINT, 130, "interrupted"),  # Ctrl+C
    (signal.SIGHUP, -signal.SIGHUP, ""),  # the terminal was closed
])
def test_stopping_serve_removes_the_preview_site(tmp_path, signum, code, words):
    proc, port, _, scratch = start_serve(tmp_path)
    try:
        wait_for(lambda: fetch(f"http://127.0.0.1:{port}/"))
        assert [p.name.startswith("runbookgen-serve-") for p in scratch.iterdir()] == [True]
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == code and words in err and "Traceback" not in err, err
    assert list(scratch.iterdir()) == []
