"""The navigation stays small at any size, so pages do too: no section lists more than 30 entries."""

from __future__ import annotations

import dataclasses
import os

import pytest

from runbookgen.generate.nav import MAX_ITEMS, navigation
from runbookgen.inventory import load_inventory
from sitecheck import html_pages, nav_targets
from sites import EPOCH, run, service


def sized(inventory, count: int):
    """The inventory with ``count`` alerts, made by renaming copies of its own (loading 10,000 takes long)."""
    alerts = [dataclasses.replace(inventory.alerts[n % len(inventory.alerts)],
                                  name=f"{inventory.alerts[n % len(inventory.alerts)].name[:-5]}{n:05d}")
              for n in range(count)]
    return dataclasses.replace(inventory, alerts=tuple(alerts))


def leaves(nav: list, trail: tuple = ()):
    """(page, the sections above it: each as the list of entries it shows) for every page of the navigation."""
    for entry in nav:
        for value in entry.values():
            if isinstance(value, list):
                yield from leaves(value, trail + (value,))
            else:
                yield value, trail


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    folder = service(tmp_path_factory.mktemp("small"), 16)
    return load_inventory(str(folder / "runbooks.yaml"))


@pytest.mark.parametrize("count", [10, 1_000, 10_000])
def test_every_alert_is_listed_once_and_no_section_is_long(inventory, count):
    big = sized(inventory, count)
    nav = navigation(big)
    pages = [page for page, _ in leaves(nav)]
    alert_pages = [p for p in pages if p.startswith("alerts/") and p != "alerts/index.md"]
    assert sorted(alert_pages) == sorted(f"alerts/{a.name.lower()}.md" for a in big.alerts)
    assert len(alert_pages) == len(set(alert_pages))
    for _, trail in leaves(nav):
        assert all(len(section) <= MAX_ITEMS + 1 for section in trail)  # + the section's index page


def test_what_a_page_shows_of_the_navigation_hardly_grows_with_the_alerts(inventory):
    """With pruning a page shows the top level and every section on its way down: bounded, not proportional."""
    def most_shown(count: int) -> int:
        nav = navigation(sized(inventory, count))
        return max(len(nav) + sum(len(section) for section in trail) for _, trail in leaves(nav))

    assert most_shown(10_000) <= 4 * MAX_ITEMS + len(navigation(inventory))
    assert most_shown(10_000) <= 1.5 * most_shown(1_000)


def test_range_labels_read_like_guide_words(inventory):
    nav = navigation(sized(inventory, 2_000))
    alerts = next(entry["Alerts"] for entry in nav if "Alerts" in entry)
    section = next(value for entry in alerts for value in entry.values() if isinstance(value, list))
    owner = next(value for entry in section[1:] for value in entry.values())
    labels = [label for entry in owner for label in entry]
    assert all(" – " in label for label in labels)
    firsts = [label.split(" – ")[0] for label in labels]
    assert firsts == sorted(firsts, key=str.lower)


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


def test_every_page_is_reachable_from_the_navigation_of_some_page(built):
    site = built[200]
    pages = {os.path.normpath(p) for p in html_pages(site) if p.name != "404.html"}
    linked = set()
    for page in html_pages(site):
        linked |= nav_targets(page)
    assert sorted(pages - linked) == []


def test_alert_pages_stay_the_same_size_when_the_alerts_multiply(built):
    def largest_alert_page(site) -> int:
        return max(p.stat().st_size for p in (site / "alerts").glob("*.html") if p.name != "index.html")

    # In bytes, not as a share of the page: what grows is the navigation (bounded by MAX_ITEMS entries per
    # section), about 6.5 KB from 40 to 200 alerts whatever the size of the content around it.
    assert largest_alert_page(built[200]) - largest_alert_page(built[40]) <= 8_000
