"""`runbookgen serve` reloads the page open in the browser once an edit is built, within the page's CSP."""

from __future__ import annotations

from browser_helpers import wait_until_ready
from support import fetch, start_serve, wait_for


def test_an_edit_shows_in_the_open_page_without_reloading_it_by_hand(tmp_path, open_page):
    proc, port, inventory, _ = start_serve(tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/alerts/other.html"
        wait_for(lambda: fetch(url), seconds=60)
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
        served = fetch(url)
        assert served.count('src="/.runbookgen-preview/reload.js"') == 1
        assert recorder.problems() == []  # no CSP violation, no failed request
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
