"""serve's warm path (output/warm.py, engine/warm.py): after any sequence of edits, the site in place is the very
site a clean build of the same inputs gives, file by file (pages, search index, sitemap, everything); edits it
cannot take go the usual way; hostile text is refused or escaped exactly as a full build does."""

from __future__ import annotations

import random
import re

import pytest

from runbookgen.generate.kept import KeptPages
from runbookgen.inventory.incremental import InventoryReloader
from runbookgen.output.warm import WarmSite
from runbookgen.problems import InputError
from sites import EPOCH, clean_build, differences, files, run, service
from test_incremental import override_alert_template, second_core  # noqa: F401 - a fixture

ALERTS = 200


@pytest.fixture(autouse=True)
def fixed_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


class Serve:
    """Builds as serve makes them: pages, the inventory and the site kept between them."""

    def __init__(self, folder, jobs=1):
        self.folder = folder
        self.kept, self.warm = KeptPages(), WarmSite()
        self.reloader = InventoryReloader(str(folder / "runbooks.yaml"))
        self.modes: list[str] = []
        self.build(jobs=jobs)

    def build(self, jobs=1):
        result = run(self.folder, jobs=jobs, kept=self.kept, reloader=self.reloader, warm=self.warm)
        self.modes.append(result.mode)
        return result

    def same_as_clean(self, into) -> list[str]:
        return differences(files(self.folder / "site"), clean_build(self.folder, into))


def _names(text: str) -> list[str]:
    return re.findall(r"^  - name: (\S+)$", text, re.MULTILINE)


def _alert_block(text: str, name: str) -> tuple[int, int]:
    start = text.index(f"  - name: {name}\n")
    following = text.find("\n  - name: ", start + 1)
    return start, (following + 1 if following >= 0 else len(text))


def _in_alert(text: str, name: str, old: str, new: str) -> str:
    start, end = _alert_block(text, name)
    block = text[start:end]
    assert old in block, (name, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "</textarea><svg onload=alert(1)>", "{{ 7 * 7 }}", "`<b>` **bold** _it_", "&lt;script&gt; &amp;"]


def _random_edit(text: str, rng: random.Random, number: int) -> tuple[str, str]:
    """One edit of a kind users make, on a random alert: (new text, what it was)."""
    names = _names(text)
    name = rng.choice(names)
    kind = rng.choice(["step"] * 3 + ["summary"] * 2 + ["hostile"] * 2 + ["description", "impact", "command",
                       "severity", "owner", "tags", "add", "rename", "remove"])
    if kind == "step":
        return _in_alert(text, name, "      - step: ", f"      - step: Step {number} changed. "), kind
    if kind == "summary":
        return re.sub(rf"(  - name: {name}\n    severity: \S+\n    summary: )[^\n]*",
                      rf"\g<1>summary {number} of {name}", text), kind
    if kind in ("description", "impact"):
        return re.sub(rf"(  - name: {name}\n(?:    [^\n]*\n)*?    {kind}: )[^\n]*",
                      rf'\g<1>"{kind} {number} changed"', text, count=1), kind
    if kind == "hostile":
        value = rng.choice(HOSTILE).replace("\\", "\\\\").replace('"', '\\"')
        return re.sub(rf"(  - name: {name}\n(?:    [^\n]*\n)*?    impact: )[^\n]*", lambda m: f'{m.group(1)}"{value}"',
                      text, count=1), kind
    if kind == "command":
        return _in_alert(text, name, "command: kubectl", f"command: kubectl --v={number}"), kind
    if kind == "severity":
        return re.sub(rf"(  - name: {name}\n    severity: )\S+", rf"\g<1>{rng.choice(['P0', 'P1', 'P2', 'P3'])}",
                      text), kind
    if kind == "owner":
        return _in_alert(text, name, "    owner: team-", "    owner: team-x"), kind
    if kind == "tags":
        return _in_alert(text, name, "    tags: [", f"    tags: [t{number}, "), kind
    if kind == "add":
        start, end = _alert_block(text, name)
        block = text[start:end]
        return text[:end] + block.replace(name, f"{name}Copy{number}") + text[end:], kind
    if kind == "rename":
        return text.replace(name, f"{name}Renamed{number}"), kind
    copies = [n for n in names if "Copy" in n]
    if not copies:
        return _in_alert(text, name, "      - step: ", f"      - step: Step {number} changed. "), "step"
    start, end = _alert_block(text, rng.choice(copies))
    return text[:start] + text[end:], kind


def test_random_edits_through_the_warm_path_give_the_clean_build(tmp_path):
    folder = service(tmp_path / "svc", ALERTS)
    inventory = folder / "runbooks.yaml"
    serve = Serve(folder)
    rng = random.Random(18)
    kinds = []
    for number in range(1, 21):
        text, kind = _random_edit(inventory.read_text(), rng, number)
        kinds.append(kind)
        inventory.write_text(text)
        serve.build()
        if number in (10, 20):
            assert serve.same_as_clean(tmp_path / f"clean-{number}") == [], list(zip(kinds, serve.modes[1:]))
    assert serve.modes.count("warm") >= 10, list(zip(kinds, serve.modes[1:]))
    assert {"full", "incremental"} & set(serve.modes[1:]), "some edits go the usual way"


def test_a_step_edit_renders_two_pages_and_nothing_else(tmp_path):
    folder = service(tmp_path / "svc", 40)
    serve = Serve(folder)
    inventory = folder / "runbooks.yaml"
    inventory.write_text(inventory.read_text().replace("      - step: Look at the main signal.",
                                                       "      - step: Look at the main signal now.", 1))
    result = serve.build()
    assert (result.mode, result.rendered) == ("warm", 1), "the alert's page (its incident report is a download)"
    inventory.write_text(inventory.read_text() + "\n")  # saved again, nothing changed
    assert serve.build().mode == "unchanged"
    assert serve.same_as_clean(tmp_path / "clean") == []


def test_a_first_site_built_on_two_cores_is_kept_warm_too(tmp_path, second_core, monkeypatch):
    import runbookgen.build as pipeline

    read_rules = []  # the coverage page's facts worked out in this process (not in the forked one)
    monkeypatch.setattr(pipeline, "coverage_of", lambda *a, _real=pipeline.coverage_of: read_rules.append(1) or _real(*a))
    folder = service(tmp_path / "svc", 60)
    serve = Serve(folder, jobs=2)
    assert second_core == [True]
    inventory = folder / "runbooks.yaml"
    text = inventory.read_text()
    inventory.write_text(_in_alert(text, _names(text)[-1], "      - step: ", "      - step: Edited. "))
    assert serve.build().mode == "warm"
    assert read_rules == [], "the facts the forked process worked out are kept: the rule files are not read again"
    text = inventory.read_text()
    inventory.write_text(re.sub(r"(summary: )[^\n]*", r"\1first summary changed", text, count=1))
    assert serve.build().mode == "warm"
    assert serve.same_as_clean(tmp_path / "clean") == []


def _problems(call) -> list[str]:
    with pytest.raises(InputError) as caught:
        call()
    return sorted(str(p) for p in caught.value.problems)


def test_a_page_a_template_makes_active_is_refused_as_a_full_build_refuses_it_and_the_fix_recovers(tmp_path):
    folder = service(tmp_path / "svc", 40)
    override_alert_template(folder, "\n<div>{{ alert.impact | safe }}</div>\n")
    serve = Serve(folder)
    inventory = folder / "runbooks.yaml"
    good = inventory.read_text()
    inventory.write_text(good.replace("    impact: Customers cannot complete purchases.",
                                      '    impact: "<script>alert(1)</script>"', 1))
    refused = _problems(serve.build)
    assert refused and any("script" in p for p in refused), refused
    assert serve.warm.refused, "the warm path saw it first and left it to the usual build"
    clean = tmp_path / "clean-hostile"
    clean.mkdir()
    assert _problems(lambda: clean_build(folder, clean / "site")) == [p.replace(str(folder), str(clean / "site"))
                                                                      for p in refused]
    inventory.write_text(good.replace("    impact: Customers cannot complete purchases.",
                                      "    impact: Customers wait.", 1))
    assert serve.build().mode in ("warm", "full")
    assert serve.same_as_clean(tmp_path / "clean-fixed") == []


def test_an_invalid_edit_keeps_the_site_and_its_fix_goes_warm(tmp_path):
    folder = service(tmp_path / "svc", 40)
    serve = Serve(folder)
    inventory = folder / "runbooks.yaml"
    good = inventory.read_text()
    before = files(folder / "site")
    inventory.write_text(good.replace("    severity: P1\n", "    severity: P7\n", 1))
    _problems(serve.build)
    assert files(folder / "site") == before
    inventory.write_text(good.replace("      - step: Look at the main signal.", "      - step: Fixed.", 1))
    assert serve.build().mode == "warm"
    assert serve.same_as_clean(tmp_path / "clean") == []


def test_a_configuration_edit_goes_the_usual_way_and_a_template_edit_re_renders_every_page_it_shows(tmp_path):
    folder = service(tmp_path / "svc", 30)
    serve = Serve(folder)
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text() + "copyright: Shop SRE\n")
    assert serve.build().mode == "full"
    assert "Shop SRE" in (folder / "site" / "index.html").read_text()
    override_alert_template(folder, "\nReviewed by the shop team.\n")
    result = serve.build()
    assert (result.mode, result.rendered) == ("warm", 30)
    assert serve.same_as_clean(tmp_path / "clean") == []


def test_a_plugin_that_may_keep_state_from_page_to_page_turns_the_warm_path_off_until_it_says_how(tmp_path,
                                                                                                   monkeypatch):
    """A plugin the warm path does not know (say one that counts the search entries earlier pages made) could
    see the pages rendered again in the wrong state: edits go the usual way, until it has ``render_again``."""
    from runbookgen.engine import errorpage, material

    class Counting(errorpage.ErrorPage):
        pass

    class Ready(errorpage.ErrorPage):
        def render_again(self, config, uris):
            self.again = list(uris)

    for plugin, mode in ((Counting, "incremental"), (Ready, "warm")):
        monkeypatch.setattr(material, "error_page", plugin)
        folder = service(tmp_path / plugin.__name__, 30)
        inventory = folder / "runbooks.yaml"
        serve = Serve(folder)
        inventory.write_text(inventory.read_text().replace("      - step: Look at the main signal",
                                                           f"      - step: {plugin.__name__} looks", 1))
        assert serve.build().mode == mode, plugin.__name__
        assert serve.same_as_clean(tmp_path / f"clean-{plugin.__name__}") == []
