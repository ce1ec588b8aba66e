"""`runbookgen build` on the example service, as a newcomer runs it: pages, navigation, links, atomicity."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from support import REPO, run_cli
from sitecheck import broken_links, external_resources, html_pages, nav_targets

EXAMPLE_FILES = ("runbooks.yaml", "mkdocs.yml")


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "rules", target / "rules")
    return target


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example service built once into site/, with its Markdown kept in md/."""
    folder = copy_example(tmp_path_factory.mktemp("example"))
    result = run_cli("build", "--docs-dir", "md", cwd=folder)
    assert result.code == 0, result
    return folder


@pytest.fixture(scope="module")
def example_alerts():
    data = yaml.safe_load((REPO / "runbooks.yaml").read_text())
    return data["alerts"]


def test_example_validates(cli):
    result = cli("validate", cwd=REPO)
    assert result.code == 0, result
    assert result.out.startswith("runbooks.yaml: ok (")


def test_build_reports_what_it_wrote(example_alerts, tmp_path):
    folder = copy_example(tmp_path)
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    assert f"({len(example_alerts)} alerts) into site/" in result.out
    assert result.err == ""


def test_every_page_exists(example, example_alerts):
    site = example / "site"
    data = yaml.safe_load((REPO / "runbooks.yaml").read_text())
    expected = ["index.html", "alerts/index.html", "severities/index.html", "health-checks.html", "procedures.html",
                "escalation.html", "incident-report.html", "404.html", "search/search_index.json"]
    expected += [f"severities/{s['id'].lower()}/index.html" for s in data["severities"]]
    expected += [f"alerts/{a['name'].lower()}.html" for a in example_alerts]
    missing = [p for p in expected if not (site / p).is_file()]
    assert missing == []


def test_alert_pages_have_every_section(example, example_alerts):
    for alert in example_alerts:
        text = (example / "md" / "alerts" / f"{alert['name'].lower()}.md").read_text()
        for heading in ('<div class="rb-first-response"', "## What it means", "## Who to call", "## Investigate",
                        "## Common causes", "## Mitigate", "## Resolve"):
            assert heading in text, f"{alert['name']}: {heading} missing"
        assert alert["summary"].split()[0] in text
        # what the page shows: inventory values are rendered by runbookgen, so look at the built page's text
        shown = html.unescape(re.sub(r"<[^>]+>", "", (example / "site" / "alerts" / f"{alert['name'].lower()}.html")
                                     .read_text()))
        for query in alert.get("queries", []):
            assert query["expr"].strip().splitlines()[0] in shown


def test_every_page_is_reachable_from_the_navigation(example):
    """Alert pages through the alert index, which the navigation lists (generate/nav.py); every other page in it."""
    site = example / "site"
    pages = {os.path.normpath(p) for p in html_pages(site) if p.name != "404.html"}
    linked = set()
    for page in html_pages(site):
        linked |= nav_targets(page)
    index = (site / "alerts" / "index.html").read_text()
    alerts = {p for p in pages if os.path.dirname(p) == os.path.normpath(site / "alerts")
              and f'href="{os.path.basename(p)}"' in index}
    assert os.path.normpath(site / "alerts" / "index.html") in linked
    assert sorted(pages - linked - alerts) == []


def test_navigation_is_pruned_so_pages_stay_small(example, example_alerts):
    """Each page lists its own section, not every alert of the site."""
    home = (example / "site" / "index.html").read_text()
    alert_links_on_home = sum(1 for a in example_alerts if f"alerts/{a['name'].lower()}.html" in home)
    assert alert_links_on_home < len(example_alerts)


def test_no_broken_internal_link_or_anchor(example):
    assert broken_links(example / "site", site_path="/checkout/") == []


def test_site_fetches_nothing_from_the_internet(example):
    assert external_resources(example / "site") == []
    for page in html_pages(example / "site"):
        assert "fonts.googleapis.com" not in page.read_text()


def test_queries_are_highlighted_with_copy_buttons(example, example_alerts):
    alert = next(a for a in example_alerts if a.get("queries"))
    html = (example / "site" / "alerts" / f"{alert['name'].lower()}.html").read_text()
    assert 'class="language-promql highlight"' in html
    config = json.loads((example / "site" / "index.html").read_text().split('id="__config"')[1].split(">", 1)[1]
                        .split("</script>")[0])
    assert "content.code.copy" in config["features"]


def test_same_inventory_gives_identical_markdown(example, tmp_path):
    again = copy_example(tmp_path)
    result = run_cli("build", "--docs-dir", "md", cwd=again)
    assert result.code == 0, result
    assert snapshot(example / "md") == snapshot(again / "md")


def test_same_inventory_gives_identical_site_with_source_date_epoch(tmp_path):
    sites = []
    for name in ("one", "two"):
        folder = copy_example(tmp_path / name)
        result = run_cli("build", cwd=folder, env={"SOURCE_DATE_EPOCH": "1767225600"})
        assert result.code == 0, result
        sites.append(snapshot(folder / "site"))
    assert sites[0] == sites[1]


def test_kept_compiled_templates_change_nothing_and_follow_template_edits(tmp_path):
    """Compiled templates and the analysed LogQL grammar are kept in the user's cache folder between builds.
    Cold, warm, damaged or unwritable, that cache must give the same site; an edited template must show."""
    cache = tmp_path / "user-cache"
    env = {"SOURCE_DATE_EPOCH": "1767225600", "XDG_CACHE_HOME": str(cache)}
    sites = {}
    for name in ("cold", "warm", "damaged", "unwritable"):
        folder = copy_example(tmp_path / name)
        if name == "damaged":
            for kept in cache.rglob("*"):
                if kept.is_file():
                    kept.write_bytes(kept.read_bytes()[:40])
        run_env = {**env, "XDG_CACHE_HOME": str(folder / "runbooks.yaml")} if name == "unwritable" else env
        result = run_cli("build", cwd=folder, env=run_env)
        assert result.code == 0, result
        sites[name] = snapshot(folder / "site")
        if name == "cold":
            folders = sorted((cache / "runbookgen").glob("templates-*"))
            assert len(folders) == 2 and all(len(list(f.iterdir())) > 5 for f in folders)  # ours and the theme's
    assert sites["warm"] == sites["cold"] and sites["damaged"] == sites["cold"] and sites["unwritable"] == sites["cold"]

    folder = tmp_path / "warm"
    (folder / "templates").mkdir()
    for words in ("First words.", "Second words."):
        (folder / "templates" / "escalation.md.j2").write_text(f"# Call us\n\n{words}\n")
        assert run_cli("build", cwd=folder, env=env).code == 0
        assert words in (folder / "site" / "escalation.html").read_text()


def test_a_user_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    from runbookgen.generate.render import environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = environment(None)
    assert env.bytecode_cache is not None
    shutil.rmtree(tmp_path / "cache")  # removed while a build runs; a full disk fails the same write
    assert env.get_template("alert_index.md.j2") is not None


def test_templates_compiled_with_other_options_never_share_the_cache(tmp_path, monkeypatch):
    import jinja2

    from runbookgen.usercache import keep_compiled_templates

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folders = []
    for options in ({}, {}, {"trim_blocks": True}, {"autoescape": True}, {"autoescape": jinja2.select_autoescape()}):
        env = jinja2.Environment(**options)
        keep_compiled_templates(env)
        folders.append(env.bytecode_cache.directory)
    assert folders[0] == folders[1] and len(set(folders)) == 4


def test_a_user_cache_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    from runbookgen.usercache import user_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "runbookgen").mkdir(mode=0o777)
    (tmp_path / "runbookgen").chmod(0o777)  # whoever may write here could plant code for runbookgen to load
    assert user_cache_dir("grammars") is None
    (tmp_path / "runbookgen").chmod(0o700)
    assert user_cache_dir("grammars") == str(tmp_path / "runbookgen" / "grammars")


@pytest.mark.parametrize("breakage, where, words", [
    ("inventory", "runbooks.yaml:", "unknown key 'sumary'"),
    ("template", "templates/alert.md.j2:2:1:", "template error"),
    ("mkdocs", "mkdocs.yml:1:1:", "site build failed"),
])
def test_failed_build_leaves_previous_site_untouched(tmp_path, breakage, where, words):
    folder = copy_example(tmp_path)
    assert run_cli("build", cwd=folder).code == 0
    before = snapshot(folder / "site")
    if breakage == "inventory":
        text = (folder / "runbooks.yaml").read_text().replace("    summary:", "    sumary:", 1)
        (folder / "runbooks.yaml").write_text(text)
    elif breakage == "template":
        (folder / "templates").mkdir()
        (folder / "templates" / "alert.md.j2").write_text("# {{ alert.name }}\n{{ alert.no_such_field }}\n")
    else:
        config = yaml.safe_load((folder / "mkdocs.yml").read_text())
        config["theme"]["name"] = "no-such-theme"
        (folder / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = run_cli("build", cwd=folder)
    assert result.code == 2, result
    assert where in result.err and words in result.err, result
    assert "Traceback" not in result.err
    assert snapshot(folder / "site") == before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".site")) == []


def test_user_templates_override_built_in_ones(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "templates").mkdir()
    (folder / "templates" / "escalation.md.j2").write_text("# Call us\n\nOur own escalation page for {{ inv.service.name }}.\n")
    result = run_cli("build", "--docs-dir", "md", cwd=folder)
    assert result.code == 0, result
    assert (folder / "md" / "escalation.md").read_text().startswith("# Call us\n\nOur own escalation page for ")
    assert "Our own escalation page" in (folder / "site" / "escalation.html").read_text()


def test_builds_with_built_in_defaults_when_there_is_no_mkdocs_yml(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "mkdocs.yml").unlink()
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    assert (folder / "site" / "alerts" / "index.html").is_file()


def test_explicit_missing_config_is_an_error(tmp_path):
    folder = copy_example(tmp_path)
    result = run_cli("build", "--config", "nope.yml", cwd=folder)
    assert result.code == 2
    assert result.err.startswith("nope.yml:1:1: mkdocs configuration file not found")


def test_refuses_a_site_dir_that_is_not_a_site(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "notes").mkdir()
    (folder / "notes" / "important.txt").write_text("keep me")
    result = run_cli("build", "--site-dir", "notes", cwd=folder)
    assert result.code == 2
    assert "notes:1:1: folder is not empty and was not built by runbookgen" in result.err
    assert (folder / "notes" / "important.txt").read_text() == "keep me"
    result = run_cli("build", "--site-dir", ".", cwd=folder)
    assert result.code == 2
    assert "site folder would contain runbooks.yaml" in result.err
    assert (folder / "runbooks.yaml").is_file()
