"""'Last reviewed N days ago' around the staleness window, computed in the browser, agreeing with the lint."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time

import pytest
import yaml

from browser_helpers import FIXTURES, built_site, run_cli, slug, wait_until_ready

# Alerts whose review date the fixture gives relative to today: days before today.
RELATIVE = {"ReviewedToday": 0, "ReviewedYesterday": 1, "ReviewedAtTheLimit": 30, "ReviewedPastTheLimit": 31}
STALE_RED = {"light": "rgb(198, 40, 40)", "dark": "rgb(239, 83, 80)"}


@pytest.fixture(scope="module")
def reviews(tmp_path_factory, chromium):
    """The stale fixture with its relative dates moved to today (UTC), built and served."""
    folder = tmp_path_factory.mktemp("reviews")
    today = dt.datetime.now(dt.timezone.utc).date()
    data = yaml.safe_load((FIXTURES / "stale" / "runbooks.yaml").read_text())
    for alert in data["alerts"]:
        if alert["name"] in RELATIVE:
            alert["last_reviewed"] = (today - dt.timedelta(days=RELATIVE[alert["name"]])).isoformat()
    (folder / "runbooks.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    shutil.copy(FIXTURES / "stale" / "rules.yaml", folder / "rules.yaml")
    site = built_site(folder)
    site.today = today
    yield site
    site.server.stop()


EXPECTED = {  # what the "last reviewed" line reads after the date, and whether it warns
    "ReviewedLongAgo": (None, True),
    "ReviewedToday": ("(today)", False),
    "ReviewedYesterday": ("(1 day ago)", False),
    "ReviewedAtTheLimit": ("(30 days ago)", False),
    "ReviewedPastTheLimit": ("(31 days ago: overdue for review)", True),
    "ReviewedInTheFuture": (None, True),
}


def review_line(page, site, name):
    page.goto(site.server.url(f"alerts/{slug(name)}.html"))
    wait_until_ready(page)
    return page.locator("article .rb-reviewed")


def test_review_age_and_stale_warning(open_page, reviews):
    page, recorder = open_page()
    long_ago = (reviews.today - dt.date(2020, 1, 1)).days
    for name, (suffix, stale) in EXPECTED.items():
        line = review_line(page, reviews, name)
        date = next(a["last_reviewed"] for a in reviews.inventory["alerts"] if a["name"] == name)
        if name == "ReviewedLongAgo":
            suffix = f"({long_ago} days ago: overdue for review)"
        if name == "ReviewedInTheFuture":
            suffix = f"({(dt.date(2099, 1, 1) - reviews.today).days} days in the future: check the date)"
        assert line.inner_text() == f"{date} {suffix}", name
        warning = line.locator(".rb-stale")
        assert warning.count() == (1 if stale else 0), name
        if stale:
            assert warning.is_visible()
            assert warning.evaluate("e => getComputedStyle(e).color") == STALE_RED["light"]
            assert warning.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    page.goto(reviews.server.url("alerts/neverreviewed.html"))
    wait_until_ready(page)
    assert "Last reviewed: never" in page.locator("article").inner_text()
    assert recorder.problems() == []


def test_stale_warning_is_readable_in_dark_mode(open_page, reviews):
    page, _ = open_page(color_scheme="dark")
    line = review_line(page, reviews, "ReviewedLongAgo")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert line.locator(".rb-stale").evaluate("e => getComputedStyle(e).color") == STALE_RED["dark"]


@pytest.mark.parametrize("timezone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_reviewed_today_reads_today_in_every_time_zone(open_page, reviews, timezone):
    """Days are counted in the reader's calendar; a date one day ahead of it (the author's time zone) is today."""
    page, _ = open_page(timezone_id=timezone)
    local_today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    local_today = dt.date(*local_today)
    name = "ReviewedToday"
    date = dt.date.fromisoformat(next(a["last_reviewed"] for a in reviews.inventory["alerts"] if a["name"] == name))
    days = (local_today - date).days
    wanted = {-1: "(today)", 0: "(today)", 1: "(1 day ago)"}[days]
    assert review_line(page, reviews, name).inner_text() == f"{date} {wanted}"


def test_site_and_lint_agree_on_what_is_stale(open_page, reviews):
    epoch = int(time.time())  # the lint's "today" is the UTC date of this moment, like the browser's
    result = run_cli("lint", "--rules", "rules.yaml", "--format", "json", cwd=reviews.folder,
                     env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert result.code in (0, 1), result
    findings = json.loads(result.out)["findings"]
    lint_stale = {f["alert"] for f in findings if f["name"] == "stale-review"}
    page, _ = open_page()
    site_stale = set()
    for alert in reviews.inventory["alerts"]:
        if alert.get("last_reviewed") and dt.date.fromisoformat(alert["last_reviewed"]) <= reviews.today:
            if review_line(page, reviews, alert["name"]).locator(".rb-stale").count():
                site_stale.add(alert["name"])
    # NeverReviewed: the lint flags a runbook without a date; the page says "never" in words.
    assert site_stale == lint_stale - {"NeverReviewed"} == {"ReviewedLongAgo", "ReviewedPastTheLimit"}
