"""Rebuilds in one process (``serve``) render again only the pages whose inputs changed, and still give the very
site a clean build of the same inventory gives, file by file."""

from __future__ import annotations

import pytest

from runbookgen.generate.kept import KeptPages
from runbookgen.inventory.incremental import InventoryReloader
from runbookgen.problems import InputError
from sites import EPOCH, clean_build, differences, edit, files, run, service
from test_incremental import override_alert_template, second_core  # noqa: F401 - a fixture

ALERTS = 60
SUMMARY = "summary: gateway shard 3 is failing requests (3)"  # SyntheticGatewayAlert00003, related of 00004


@pytest.fixture(autouse=True)
def fixed_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


_RELOADERS: dict = {}


def rebuild(folder, kept):
    """A rebuild as serve makes it: pages kept, and the inventory read again only where it changed."""
    reloader = _RELOADERS.setdefault(id(kept), (kept, InventoryReloader(str(folder / "runbooks.yaml"))))[1]
    return run(folder, jobs=1, kept=kept, reloader=reloader)


def same_as_clean(folder, tmp_path, name):
    return differences(files(folder / "site"), clean_build(folder, tmp_path / name))


def page(folder, path):
    return (folder / "site" / path).read_text()


def test_an_edit_re_renders_only_the_pages_that_show_it_and_the_site_equals_a_clean_build(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    kept = KeptPages()
    assert rebuild(folder, kept).mode == "full"
    everything = kept.rendered

    edit(inventory, "      - step: Look at the main signal.", "      - step: Look at the main signal now.")
    assert rebuild(folder, kept).mode == "incremental"
    assert kept.rendered == 2, "the alert's page and its incident report"
    assert same_as_clean(folder, tmp_path, "clean-step") == []

    # A summary shows on the alert's page, on the page of the alert that lists it as related, and on the pages
    # that list alerts (alert index, severity page): all of them show the new text.
    edit(inventory, SUMMARY, "summary: gateway is down for everyone")
    assert rebuild(folder, kept).mode == "incremental"
    assert "gateway is down for everyone" in page(folder, "alerts/index.html")
    assert "gateway is down for everyone" in page(folder, "alerts/syntheticpostgresalert00004.html")
    assert 4 <= kept.rendered < everything // 2
    assert same_as_clean(folder, tmp_path, "clean-summary") == []

    # Lines inserted above every alert: every position moves, no page shows one.
    edit(inventory, "service:\n", "# a comment\n# and another\nservice:\n")
    result = rebuild(folder, kept)
    assert result.mode in ("unchanged", "skipped", "incremental")
    assert kept.rendered == 0
    assert same_as_clean(folder, tmp_path, "clean-moved") == []


def test_what_pages_read_of_other_alerts_and_of_the_rest_is_seen(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    kept = KeptPages()
    rebuild(folder, kept)
    stories = [
        ("a related alert changes severity: the neighbour's badge",
         "  - name: SyntheticGatewayAlert00003\n    severity: P3",
         "  - name: SyntheticGatewayAlert00003\n    severity: P1"),
        ("an owner moves: the index and owner filters", "    owner: team-gateway\n", "    owner: team-platform\n"),
        ("the service's team: every page that falls back to it", "  team: shop-sre\n", "  team: shop-oncall\n"),
        ("a severity's response time: alert pages show their severity", "    response_time: 5m\n",
         "    response_time: 10m\n"),
        ("an alert's description, and nothing that lists alerts shows it", "description: \"Requests to web",
         "description: \"Now requests to web"),
    ]
    for number, (story, old, new) in enumerate(stories):
        edit(inventory, old, new)
        rebuild(folder, kept)
        assert same_as_clean(folder, tmp_path, f"clean-{number}") == [], story


def test_a_template_of_the_users_may_read_any_alert_and_is_re_rendered_with_it(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    # Every alert page shows the last alert's summary: a dependency no built-in template has.
    override_alert_template(folder, "\nLast listed: {{ inv.alerts[-1].summary }}\n")
    kept = KeptPages()
    rebuild(folder, kept)
    last = [line for line in inventory.read_text().splitlines() if line.startswith("    summary: ")][-1]
    edit(inventory, last, "    summary: the very last alert changed")
    rebuild(folder, kept)
    assert "the very last alert changed" in page(folder, "alerts/syntheticapialert00000.html")
    assert same_as_clean(folder, tmp_path, "clean-template") == []

    override_alert_template(folder, "\nReviewed by the shop team.\n")  # the template itself changes
    rebuild(folder, kept)
    assert "Reviewed by the shop team." in page(folder, "alerts/syntheticapialert00000.html")
    assert same_as_clean(folder, tmp_path, "clean-template-2") == []


def test_a_failed_rebuild_keeps_what_was_rendered_and_the_next_one_is_right(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    kept = KeptPages()
    rebuild(folder, kept)
    good = inventory.read_text()
    edit(inventory, SUMMARY, "summary: [unclosed")
    with pytest.raises(InputError):
        rebuild(folder, kept)
    inventory.write_text(good.replace(SUMMARY, "summary: fixed after a broken save"))
    rebuild(folder, kept)
    assert "fixed after a broken save" in page(folder, "alerts/index.html")
    assert same_as_clean(folder, tmp_path, "clean-after-failure") == []


def test_pages_the_first_build_rendered_in_a_forked_process_are_kept_too(tmp_path, second_core):
    """serve builds its first site with one process per core: what the second core rendered is kept as well."""
    folder = service(tmp_path / "svc", ALERTS)
    kept = KeptPages()
    assert run(folder, jobs=2, kept=kept).mode == "full"
    assert second_core == [True]
    step = "      - step: Look at the main signal."
    edit(folder / "runbooks.yaml", step, step.replace("signal.", "signal now."))
    assert rebuild(folder, kept).mode == "incremental"
    assert kept.rendered == 2, "the alert's page and its incident report"
    assert same_as_clean(folder, tmp_path, "clean-forked") == []


def test_alerts_added_removed_renamed_and_included_files_give_the_clean_build(tmp_path):
    folder = service(tmp_path / "svc", 40)
    inventory = folder / "runbooks.yaml"
    text = inventory.read_text()
    starts = [n for n, line in enumerate(text.split("\n")) if line.startswith("  - name: ")]
    lines = text.split("\n")
    (folder / "teams").mkdir()
    (folder / "teams" / "late.yaml").write_text("alerts:\n" + "\n".join(lines[starts[35]:]) + "\n")
    inventory.write_text("include: [teams/*.yaml]\n" + "\n".join(lines[:starts[35]]) + "\n")
    kept = KeptPages()
    rebuild(folder, kept)
    reloader = _RELOADERS[id(kept)][1]
    block = "\n".join(lines[starts[5]:starts[6]]) + "\n"
    stories = [
        ("a step added: lines move for every alert after it", lambda t: t.replace(
            "      - step: Look at the main signal.\n", "      - step: Look at the main signal.\n"
            "      - step: And at the second one.\n", 1)),
        ("an alert added", lambda t: t.replace(block, block + block.replace("Alert00005", "Alert00099"), 1)),
        ("an alert renamed, and the alert that lists it as related", lambda t: t.replace(
            "SyntheticWorkerAlert00010", "SyntheticWorkerRenamed")),
        ("the added alert removed", lambda t: t.replace(block.replace("Alert00005", "Alert00099"), "", 1)),
        ("an invalid edit", lambda t: t.replace("    severity: P1\n", "    severity: P7\n", 1)),
        ("the same edit made valid", lambda t: t.replace("    severity: P7\n", "    severity: P2\n", 1)),
    ]
    for number, (story, change) in enumerate(stories):
        inventory.write_text(change(inventory.read_text()))
        if "invalid" in story:
            with pytest.raises(InputError):
                rebuild(folder, kept)
            continue
        rebuild(folder, kept)
        assert same_as_clean(folder, tmp_path, f"clean-{number}") == [], story
    assert reloader.spliced >= 4, "read as changed alerts, not loaded in full"

    late = folder / "teams" / "late.yaml"
    late.write_text(late.read_text().replace("Look at the main signal.", "Look at the late signal.", 1))
    rebuild(folder, kept)
    assert any("Look at the late signal." in p.read_text() for p in (folder / "site" / "alerts").glob("*.html"))
    assert same_as_clean(folder, tmp_path, "clean-included") == []

    rules = folder / "rules" / "prometheus.yaml"  # the coverage page reads the rule files
    rules.write_text(rules.read_text().replace("alert: SyntheticApiAlert00000", "alert: SyntheticApiAlertGone"))
    rebuild(folder, kept)
    assert "SyntheticApiAlertGone" in page(folder, "coverage.html")
    assert same_as_clean(folder, tmp_path, "clean-rules") == []
