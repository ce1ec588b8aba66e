"""`runbookgen serve`: the preview rebuilds on save and survives a broken edit."""

from __future__ import annotations

import re
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


def test_an_edit_that_puts_markup_in_a_value_is_escaped_in_the_preview_as_in_a_build(tmp_path):
    """An edit of one page's body goes straight into the preview (output/warm.py): the value is escaped there as
    a full build escapes it, and saving the old text again brings the old page back."""
    proc, port, inventory, _ = start_serve(tmp_path)
    page = f"http://127.0.0.1:{port}/alerts/other.html"
    try:
        first = wait_for(lambda: fetch(page))
        good = inventory.read_text()
        inventory.write_text(good.replace("summary: other thing", 'summary: "<script>alert(1)</script> x"'))
        shown = wait_for(lambda: (lambda text: text if "alert(1)" in text else None)(fetch(page)))
        assert "&lt;script&gt;alert(1)&lt;/script&gt; x" in shown
        assert "<script>alert(1)" not in shown
        inventory.write_text(good)
        wait_for(lambda: "alert(1)" not in fetch(page))
        assert _without_reload_script(fetch(page)) == _without_reload_script(first)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "Traceback" not in err


def _without_reload_script(page: str) -> str:
    return re.sub(r'<script src="/\.runbookgen-preview/reload\.js" data-generation="[0-9]+"></script>', "", page)
