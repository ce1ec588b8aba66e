"""The 3 a.m. test on the example site: what to do first and who to call, on the first screen of a laptop
and a phone, by mouse and by keyboard; code that can be read and copied; the alert index's filters kept in
the address; incident reports that download from file:// as well as over http.
"""

from __future__ import annotations

import re

import pytest

from browser_helpers import OUTPUT, wait_until_ready

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
COPY = "button.md-code__button[data-md-type='copy'], button.md-clipboard"
TAB_BUDGET = 15


def alert_named(example, name):
    return next(a for a in example.inventory["alerts"] if a["name"] == name)


def first_command_block(page):
    """The code block of the first immediate mitigation step that has a command."""
    return page.locator("article .rb-first-response ol > li pre").first


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_command_and_its_copy_button_are_on_the_first_screen(open_page, example, viewport, scheme):
    alert = alert_named(example, "CheckoutDown")
    command = next(s["command"] for s in alert["mitigation"]["immediate"] if s.get("command"))
    page, recorder = open_page(viewport=viewport, color_scheme=scheme, is_mobile=viewport is PHONE,
                               has_touch=viewport is PHONE)
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    block = first_command_block(page)
    assert block.locator("code").inner_text().rstrip("\n") == command
    button = block.locator(COPY).first
    box = button.bounding_box()
    assert box is not None, "no copy button"
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], box
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], f"copy button below the first screen: {box}"
    # who to call and the incident report are on the same screen
    call = page.locator("article .rb-first-call a").first.bounding_box()
    assert call and call["y"] + call["height"] <= viewport["height"] * 1.6, call  # at most a short scroll below
    OUTPUT.mkdir(exist_ok=True)
    name = "laptop" if viewport is LAPTOP else "phone"
    page.screenshot(path=str(OUTPUT / f"first-screen-checkoutdown-{name}-{scheme}.png"))
    assert recorder.problems() == []


def test_first_copy_button_is_reached_within_15_tabs_after_the_skip_link(open_page, example):
    page, _ = open_page(viewport=LAPTOP)
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')"), "the first Tab is the skip link"
    page.keyboard.press("Enter")
    target = first_command_block(page).locator(COPY).first
    target.evaluate("b => { window.__firstCopy = b; }")
    for presses in range(1, TAB_BUDGET + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === window.__firstCopy"):
            break
    else:
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        pytest.fail(f"the first copy button is not reached in {TAB_BUDGET} Tab presses (now on {focused})")
    assert presses <= TAB_BUDGET


_CODE_GEOMETRY = """(pre) => {
  const code = pre.querySelector('code');
  const button = pre.querySelector('button.md-code__button[data-md-type=copy], button.md-clipboard');
  const b = button.getBoundingClientRect();
  const hits = (r) => r.width > 0 && r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom;
  // every visible character's box; a space where a line wraps may hang into the padding, unseen
  let covered = false;
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && !covered; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    if (!Array.from(range.getClientRects()).some(hits)) continue;
    for (let i = 0; i < node.length && !covered; i++) {
      if (/\\s/.test(node.data[i])) continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      covered = Array.from(range.getClientRects()).some(hits);
    }
  }
  return {overflow: code.scrollWidth - code.clientWidth, covered,
          opacity: getComputedStyle(button).opacity, visibility: getComputedStyle(button).visibility,
          color: getComputedStyle(button).color, background: getComputedStyle(code).backgroundColor};
}"""


def contrast(fg: str, bg: str) -> float:
    def luminance(css):
        parts = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
        parts = [p / 255 for p in parts]
        parts = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]
    a, b = luminance(fg), luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def blend(fg: str, bg: str) -> str:
    """A colour with alpha over an opaque background, as the eye sees it."""
    values = [float(x) for x in re.findall(r"[\d.]+", fg)]
    alpha = values[3] if len(values) > 3 else 1.0
    under = [float(x) for x in re.findall(r"[\d.]+", bg)[:3]]
    return "rgb({})".format(", ".join(str(round(f * alpha + u * (1 - alpha))) for f, u in zip(values[:3], under)))


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_wraps_and_the_copy_button_never_covers_text(open_page, example, viewport, scheme):
    page, _ = open_page(viewport=viewport, color_scheme=scheme)
    for target in ("alerts/checkoutdown.html", "alerts/checkoutdatabaseconnectionfailure.html", "procedures/scale.html"):
        page.goto(example.server.url(target))
        wait_until_ready(page)
        page.mouse.move(0, 0)  # no hover anywhere
        blocks = page.locator("article pre:has(code)")
        assert blocks.count() > 0
        for n in range(blocks.count()):
            pre = blocks.nth(n)
            pre.scroll_into_view_if_needed()
            found = pre.evaluate(_CODE_GEOMETRY)
            where = f"{target} block {n}"
            assert found["overflow"] <= 1, f"{where}: cut off by {found['overflow']}px"
            assert not found["covered"], f"{where}: the copy button covers text"
            assert found["visibility"] == "visible" and float(found["opacity"]) == 1, where
            seen = blend(found["color"], found["background"])
            assert contrast(seen, found["background"]) >= 3, f"{where}: copy button {seen} on {found['background']}"


# ------------------------------------------------------------------------------------------- alert index

def shown_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "article table tbody tr", "rows => rows.filter(r => r.offsetParent !== null && r.querySelector('.rb-row'))"
                                  ".map(r => r.cells[0].innerText.trim().split(/\\s/)[0])")


def test_index_filter_is_kept_in_the_address_after_back_and_reload(open_page, example):
    alerts = example.inventory["alerts"]
    p0 = sorted(a["name"] for a in alerts if a["severity"] == "P0")
    page, recorder = open_page()
    page.goto(example.server.url("alerts/index.html"))
    wait_until_ready(page)
    page.locator(".rb-filters select[data-filter='severity']").select_option("P0")
    assert page.url.endswith("alerts/index.html?severity=P0")
    assert sorted(shown_rows(page)) == p0
    page.locator("article table a", has_text=p0[0]).first.click()
    page.wait_for_url(re.compile(r".*/alerts/(?!index)[^/]+\.html$"))
    page.go_back()
    wait_until_ready(page)
    assert page.url.endswith("?severity=P0")
    assert page.locator(".rb-filters select[data-filter='severity']").input_value() == "P0"
    assert sorted(shown_rows(page)) == p0
    assert page.locator(".rb-filter-count").inner_text() == f"{len(p0)} of {len(alerts)} alerts"
    page.reload()
    wait_until_ready(page)
    assert sorted(shown_rows(page)) == p0
    # a link with filters opens filtered, an unknown value is ignored
    page.goto(example.server.url("alerts/index.html?tag=redis&severity=nonsense"))
    wait_until_ready(page)
    assert sorted(shown_rows(page)) == sorted(a["name"] for a in alerts if "redis" in a.get("tags", []))
    assert recorder.problems() == []


def test_index_empty_state_offers_a_reset(open_page, example):
    alerts = example.inventory["alerts"]
    page, _ = open_page()
    page.goto(example.server.url("alerts/index.html?severity=P3&tag=redis"))
    wait_until_ready(page)
    assert shown_rows(page) == []
    empty = page.locator(".rb-filter-empty")
    assert empty.is_visible() and "No alert matches" in empty.inner_text()
    empty.locator("button").click()
    assert len(shown_rows(page)) == len(alerts)
    assert not empty.is_visible()
    assert page.url.endswith("alerts/index.html")


def test_index_shows_tags_and_fits_a_phone(open_page, example):
    alerts = example.inventory["alerts"]
    page, _ = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(example.server.url("alerts/index.html"))
    wait_until_ready(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    rows = page.locator("article table tbody tr")
    # every cell with something in it (name, badge, owner, tags, summary) is on screen without scrolling sideways
    outside = page.eval_on_selector_all("article table tbody tr td", """cells => cells
        .filter(c => c.innerText.trim())
        .map(c => [c.innerText.trim().slice(0, 30), c.getBoundingClientRect()])
        .filter(([_, r]) => r.width === 0 || r.left < 0 || r.right > window.innerWidth)
        .map(([t, r]) => `${t}: ${Math.round(r.left)}..${Math.round(r.right)}`)""")
    assert outside == []
    assert rows.count() == len(alerts)
    tagged = next(a for a in alerts if a.get("tags"))
    row = page.locator("article table tbody tr", has=page.locator("a", has_text=re.compile(f"^{tagged['name']}$")))
    assert row.locator(".rb-tag").all_inner_texts() == tagged["tags"]
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "alert-index-phone.png"), full_page=True)


# ------------------------------------------------------------------------------------------ incident reports

@pytest.mark.parametrize("how", ["file", "http"])
def test_incident_report_downloads_from_file_and_http(open_page, example, how):
    page, recorder = open_page()
    url = example.file_url("alerts/checkoutdown.html") if how == "file" else example.server.url("alerts/checkoutdown.html")
    page.goto(url)
    wait_until_ready(page)
    with page.expect_download() as info:
        page.locator("article a.rb-incident-download").click()
    download = info.value
    assert download.suggested_filename == "incident-checkoutdown.md"
    text = open(download.path(), encoding="utf-8").read()
    assert text == (example.site / "incidents" / "checkoutdown.md").read_text(encoding="utf-8")
    assert page.url == url, "the page navigated away instead of downloading"
    assert recorder.problems() == []


@pytest.mark.parametrize("how", ["file", "http"])
def test_template_page_offers_the_blank_report_to_download_and_copy(open_page, example, how):
    page, recorder = open_page(permissions=["clipboard-read", "clipboard-write"])
    url = example.file_url("incident-report.html") if how == "file" else example.server.url("incident-report.html")
    page.goto(url)
    wait_until_ready(page)
    blank = (example.site / "incidents" / "blank_report.md").read_text(encoding="utf-8")
    with page.expect_download() as info:
        page.locator("article a.rb-incident-download").click()
    assert open(info.value.path(), encoding="utf-8").read() == blank
    assert info.value.suggested_filename == "incident-report.md"
    block = page.locator("article pre:has(code)").first
    assert block.locator("code").get_attribute("data-copy").rstrip("\n") == blank.rstrip("\n")
    block.locator(COPY).first.click()
    page.wait_for_function("(t) => navigator.clipboard.readText().then(c => c === t)", arg=blank.rstrip())
    assert recorder.problems() == []


def test_search_finds_part_of_a_camelcase_alert_name(open_page, example):
    from browser_helpers import search

    page, _ = open_page()
    page.goto(example.server.url("index.html"))
    wait_until_ready(page)
    found = [r["page"] for r in search(page, "RedisDown")]
    assert example.server.url("alerts/checkoutredisdown.html") in found[:3], found


def test_badges_are_readable(open_page, example):
    page, _ = open_page()
    for target in ("alerts/index.html", "alerts/checkoutdown.html", "severities/index.html"):
        page.goto(example.server.url(target))
        wait_until_ready(page)
        sizes = page.eval_on_selector_all("article .rb-badge", "bs => bs.map(b => parseFloat(getComputedStyle(b).fontSize))")
        assert sizes and min(sizes) >= 12, (target, min(sizes))


def test_a_step_leads_to_the_procedure_it_follows(open_page, example):
    step = next(s for s in alert_named(example, "CheckoutDown")["mitigation"]["immediate"] if s.get("procedure"))
    procedure = next(p for p in example.inventory["procedures"] if p["id"] == step["procedure"])
    page, recorder = open_page()
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    page.locator("article .rb-first-response a", has_text=procedure["title"]).click()
    wait_until_ready(page)
    assert page.locator("article h1").first.inner_text().startswith(procedure["title"])
    assert page.locator("article a", has_text="CheckoutDown").count() >= 1  # and back to the alerts that use it
    assert recorder.problems() == []
