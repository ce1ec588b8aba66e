"""A build after an edit renders only what changed, and leaves the very site a clean build gives, file by file."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from runbookgen.problems import InputError
from runbookgen.output.cache import CACHE_DIR
from sites import EPOCH, clean_build, differences, edit, files, run, service

ALERTS = 130  # more than 30 per severity, so the navigation has owner subsections too


@pytest.fixture(autouse=True)
def fixed_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(autouse=True)
def no_other_thread():
    """Builds fork their workers only when no other thread runs: otherwise "jobs=2" would test one process."""
    if threading.active_count() > 1:  # pytest --ff/--nf can put the browser tests, and their server, first
        pytest.skip(f"builds cannot fork while other threads run: {[t.name for t in threading.enumerate()]}")


def test_edits_build_incrementally_to_the_site_a_clean_build_gives(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    assert run(folder, jobs=2).mode == "full"

    steps = [  # (what the author does, the build mode it calls for, how many pages at most it renders again)
        ("edit one step of one alert",
         lambda: edit(inventory, "      - step: Look at the main signal.", "      - step: Look at the main signal now."),
         "incremental", 1),
        ("edit an alert's summary: its page, its neighbour's related list, the alert index and its severity page",
         lambda: edit(inventory, "summary: gateway shard 3 is failing requests (3)", "summary: gateway is down"),
         "incremental", 4),
        ("override the alert template: every alert page changes, the navigation does not",
         lambda: override_alert_template(folder, "\nReviewed by the shop team.\n"),
         "incremental", ALERTS),
        ("move an alert to another owner: the pages that show its owner (the navigation lists no alerts)",
         lambda: edit(inventory, "    owner: team-gateway\n", "    owner: team-platform\n"),
         "incremental", 6),
        ("change the theme configuration",
         lambda: edit(folder / "mkdocs.yml", "  font: false\n", "  font: false\n  palette: {primary: teal}\n"),
         "full", None),
    ]
    for number, (story, change, mode, most) in enumerate(steps):
        change()
        before = files(folder / "site")
        held = hold_files(folder / "site", tmp_path / f"held-{number}")
        result = run(folder, jobs=2)
        assert result.mode == mode, story
        if most is not None:
            assert 1 <= result.rendered <= most, f"{story}: rendered {result.rendered} pages"
        # The new site shares unchanged files with the old one (hard links); nothing was written through them.
        assert files(held) == before, story
        reference = clean_build(folder, tmp_path / f"clean-{number}")
        assert differences(files(folder / "site"), reference) == [], story


def hold_files(site, holder):
    """A second name for every file of the site (hard links): a build that wrote into a file in place, instead
    of writing a new file, would change what these names show."""
    for path in site.rglob("*"):
        target = holder / path.relative_to(site)
        if path.is_dir() and not path.is_symlink():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target, follow_symlinks=False)
    return holder


def test_an_incremental_build_links_unchanged_files_and_copies_nothing(tmp_path):
    folder = service(tmp_path / "svc", 40)
    run(folder, jobs=1)
    index = folder / "site" / "alerts" / "index.html"  # a page a step edit does not change
    inode = index.stat().st_ino
    edit(folder / "runbooks.yaml", "      - step: Look at the main signal.", "      - step: Look at the main signal now.")
    assert run(folder, jobs=1).mode == "incremental"
    assert index.stat().st_ino == inode  # linked from the previous site, not copied
    assert index.stat().st_nlink == 1  # and the previous site is gone
    assert not (folder / CACHE_DIR / "site" / "spare").exists()


def test_nothing_changed_skips_the_build_and_a_comment_changes_no_page(tmp_path):
    folder = service(tmp_path / "svc", 50)
    assert run(folder).mode == "full"
    before = files(folder / "site")
    assert run(folder).mode == "skipped"
    edit(folder / "runbooks.yaml", "version: 1\n", "version: 1\n# a comment changes the file, not the site\n")
    assert run(folder).mode == "unchanged"
    assert run(folder).mode == "skipped"
    assert files(folder / "site") == before


def test_full_rebuilds_everything_and_keeps_the_cache_fresh(tmp_path):
    folder = service(tmp_path / "svc", 50)
    run(folder)
    result = run(folder, full=True)
    assert (result.mode, result.rendered) == ("full", result.pages)
    assert run(folder).mode == "skipped"


def test_a_site_changed_by_hand_is_rebuilt_not_trusted(tmp_path):
    folder = service(tmp_path / "svc", 50)
    run(folder)
    before = files(folder / "site")
    page = next((folder / "site" / "alerts").glob("*.html"))
    page.unlink()
    assert run(folder).mode == "full"
    assert files(folder / "site") == before


def test_an_edit_in_an_included_file_is_seen(tmp_path):
    folder = service(tmp_path / "svc", 50)
    inventory = folder / "runbooks.yaml"
    (folder / "teams").mkdir()
    (folder / "teams" / "extra.yaml").write_text(
        "procedures:\n  - id: restart-api\n    title: Restart the API\n    steps:\n      - step: Restart it.\n"
        "        command: kubectl rollout restart deploy/api\n")
    edit(inventory, "version: 1\n", "version: 1\ninclude:\n  - teams/*.yaml\n")
    run(folder)
    assert run(folder).mode == "skipped"
    edit(folder / "teams" / "extra.yaml", "Restart it.", "Restart it gently.")
    assert run(folder).mode == "incremental"
    assert "Restart it gently." in (folder / "site" / "procedures" / "restart-api.html").read_text()
    (folder / "teams" / "more.yaml").write_text("procedures:\n  - id: scale-api\n    title: Scale the API\n    steps: [Scale it.]\n")
    assert run(folder).mode != "skipped"  # a new file matching the include glob is an input too
    assert "Scale the API" in (folder / "site" / "procedures.html").read_text()


def test_a_failed_incremental_build_keeps_the_site_and_the_next_build_is_full(tmp_path):
    folder = service(tmp_path / "svc", 50)
    run(folder)
    before = files(folder / "site")
    override_alert_template(folder, "{% if alert.name == 'SyntheticApiAlert00008' %}\n[gone](no-such-page.md)\n{% endif %}\n")
    with pytest.raises(InputError) as failure:
        run(folder)
    assert "no-such-page.md" in str(failure.value)
    assert files(folder / "site") == before
    assert not (tmp_path / "svc" / CACHE_DIR / "site" / "state.json").exists()
    shutil.rmtree(folder / "templates")
    assert run(folder).mode == "full"
    assert files(folder / "site") == before


def test_a_warning_in_a_worker_fails_a_strict_build(tmp_path):
    folder = service(tmp_path / "svc", 120)
    override_alert_template(folder, "{% if alert.name.endswith('7') %}\n[gone](no-such-page.md)\n{% endif %}\n")
    with pytest.raises(InputError) as failure:
        run(folder, jobs=2)
    assert "no-such-page.md" in str(failure.value)
    assert not (folder / "site").exists()


def test_pages_built_in_parallel_equal_pages_built_in_one_process(tmp_path):
    one = service(tmp_path / "one", 120)
    two = service(tmp_path / "two", 120)
    run(one, jobs=1, cache=False)
    result = run(two, jobs=2, cache=False)
    assert result.rendered == result.pages
    assert differences(files(one / "site"), files(two / "site")) == []


@pytest.fixture
def second_core(monkeypatch):
    """Make every build of two jobs fork the extras' child, whatever the service's size; record that it did."""
    import runbookgen.build as pipeline

    forked = []

    class Watched(pipeline.Forked):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            forked.append(self.pid is not None)

    monkeypatch.setattr(pipeline, "FORK_MIN_ALERTS", 1)
    monkeypatch.setattr(pipeline, "Forked", Watched)
    return forked


def test_pages_rendered_on_the_second_core_are_the_pages_one_process_renders(tmp_path, second_core):
    one = service(tmp_path / "one", 40)
    two = service(tmp_path / "two", 40)
    run(one, jobs=1, cache=False, docs_dir=str(one / "md"))
    run(two, jobs=2, cache=False, docs_dir=str(two / "md"))
    assert second_core == [False, True]
    assert differences(files(one / "md"), files(two / "md")) == []
    assert differences(files(one / "site"), files(two / "site")) == []


def test_a_template_error_in_a_page_the_second_core_renders_is_reported_as_in_one_process(tmp_path, second_core):
    folder = service(tmp_path / "svc", 40)
    from runbookgen.generate.render import Context
    from runbookgen.inventory import load_inventory

    last = Context(load_inventory(str(folder / "runbooks.yaml"))).alerts[-1].name  # in the second core's share
    override_alert_template(folder, f"{{% if alert.name == '{last}' %}}{{{{ alert.no_such_field }}}}{{% endif %}}\n")
    with pytest.raises(InputError) as failure:
        run(folder, jobs=2)
    assert second_core == [True]
    assert "templates/alert.md.j2" in str(failure.value) and "no_such_field" in str(failure.value)
    assert not (folder / "site").exists()


def test_docs_dir_holds_the_markdown_even_when_the_build_is_skipped(tmp_path):
    folder = service(tmp_path / "svc", 50)
    run(folder, docs_dir=str(folder / "md"))
    shutil.rmtree(folder / "md")
    assert run(folder, docs_dir=str(folder / "md")).mode == "skipped"
    assert (folder / "md" / "alerts" / "syntheticapialert00000.md").is_file()


def override_alert_template(folder, extra: str) -> None:
    from importlib import resources

    built_in = resources.files("runbookgen").joinpath("templates", "alert.md.j2").read_text()
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "alert.md.j2").write_text(built_in + extra)


def test_a_rule_file_is_an_input_too_for_the_coverage_page(tmp_path):
    folder = service(tmp_path / "svc", 50)
    run(folder)
    rules = folder / "rules" / "prometheus.yaml"
    rules.write_text(rules.read_text() + "      - alert: BrandNewAlertWithoutRunbook\n        expr: up == 0\n"
                     "        labels: {severity: critical}\n")
    assert run(folder).mode == "incremental"
    assert "BrandNewAlertWithoutRunbook" in (folder / "site" / "coverage.html").read_text()
