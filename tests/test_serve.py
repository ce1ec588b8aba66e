"""`runbookgen serve`: the preview rebuilds on save and survives a broken edit."""

from __future__ import annotations

import signal
import time

import pytest

from support import fetch, start_serve, wait_for


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
