"""`runbookgen serve` reloads the page open in the browser once an edit is built, within the page's CSP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from browser_helpers import wait_until_ready
from support import FIXTURES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_served(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} was not served in time")


def test_an_edit_shows_in_the_open_page_without_reloading_it_by_hand(tmp_path, open_page):
    folder = tmp_path / "svc"
    folder.mkdir()
    inventory = folder / "runbooks.yaml"
    inventory.write_text((FIXTURES / "minimal" / "runbooks.yaml").read_text())
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "runbookgen", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/alerts/other.html"
        wait_served(url)
        page, recorder = open_page()
        page.goto(url)
        wait_until_ready(page)
        assert "other thing" in page.locator("article").inner_text()
        page.evaluate("() => { window.rbSamePage = true; }")  # gone once the page reloads
        inventory.write_text(inventory.read_text().replace("summary: other thing", "summary: a brand new summary"))
        page.wait_for_function("() => { const a = document.querySelector('article'); "
                               "return a !== null && /a brand new summary/.test(a.innerText); }",
                               timeout=60000)
        wait_until_ready(page)
        assert page.evaluate("() => window.rbSamePage === undefined")  # the page reloaded by itself
        # the built site is not changed: only the preview adds its script, a file of the site's origin
        with urllib.request.urlopen(url, timeout=5) as response:
            served = response.read().decode()
        assert served.count('src="/.runbookgen-preview/reload.js"') == 1
        assert recorder.problems() == []  # no CSP violation, no failed request
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
