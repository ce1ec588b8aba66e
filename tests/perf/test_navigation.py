"""The navigation lists pages to pick from, not alerts: a page weighs the same at 10 or 10,000 alerts, and every
alert is still one click from the navigation (the alert index and its severity page list it)."""

from __future__ import annotations

import dataclasses
import os

import pytest

from runbookgen.generate.context import severity_page_path
from runbookgen.generate.nav import navigation
from runbookgen.inventory import load_inventory
from sitecheck import html_pages, nav_targets
from sites import EPOCH, run, service


def sized(inventory, count: int):
    """The inventory with ``count`` alerts, made by renaming copies of its own (loading 10,000 takes long)."""
    alerts = [dataclasses.replace(inventory.alerts[n % len(inventory.alerts)],
                                  name=f"{inventory.alerts[n % len(inventory.alerts)].name[:-5]}{n:05d}")
              for n in range(count)]
    return dataclasses.replace(inventory, alerts=tuple(alerts))


def entries(nav: list) -> list[str]:
    found = []
    for entry in nav:
        for value in entry.values():
            found += entries(value) if isinstance(value, list) else [value]
    return found


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    folder = service(tmp_path_factory.mktemp("small"), 16)
    return load_inventory(str(folder / "runbooks.yaml"))


def test_the_navigation_does_not_grow_with_the_alerts(inventory):
    shapes = {count: entries(navigation(sized(inventory, count))) for count in (10, 1_000, 10_000)}
    assert shapes[10] == shapes[1_000] == shapes[10_000]
    assert not any(page.startswith("alerts/") and page != "alerts/index.md" for page in shapes[10_000])
    assert "alerts/index.md" in shapes[10_000]
    assert all(severity_page_path(s.id) in shapes[10_000] for s in inventory.severities)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    sites = {}
    try:
        for count in (40, 200):
            folder = service(tmp_path_factory.mktemp(f"svc{count}"), count)
            run(folder, cache=False)
            sites[count] = folder / "site"
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return sites


def test_every_alert_is_one_click_from_the_navigation(built):
    """Every page is in the navigation, or linked from the alert index and its severity page, which are."""
    site = built[200]
    pages = {os.path.normpath(p) for p in html_pages(site) if p.name != "404.html"}
    in_nav = set()
    for page in html_pages(site):
        in_nav |= nav_targets(page)
    assert os.path.normpath(site / "alerts" / "index.html") in in_nav
    index = (site / "alerts" / "index.html").read_text()
    for alert in pages - in_nav:
        assert os.path.dirname(alert) == os.path.normpath(site / "alerts"), alert
        assert f'href="{os.path.basename(alert)}"' in index, alert
        severity_pages = [p for p in in_nav if "/severities/" in p and os.path.basename(alert) in
                          open(p, encoding="utf-8").read()]
        assert severity_pages, f"{alert} is on no severity page"


def test_alert_pages_stay_the_same_size_when_the_alerts_multiply(built):
    def largest_alert_page(site) -> int:
        return max(p.stat().st_size for p in (site / "alerts").glob("*.html") if p.name != "index.html")

    # five times the alerts: a few bytes more (the counts in the navigation), nothing that grows with them
    assert largest_alert_page(built[200]) - largest_alert_page(built[40]) <= 200
    assert largest_alert_page(built[200]) <= 30 * 1024
