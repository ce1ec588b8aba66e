"""Lint keeps PromQL verdicts and the checked inventory in the user cache between runs: a rerun must say
exactly what a first run says, and a damaged, foreign or stale cache entry must never change a verdict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support import run_cli
from runbookgen.usercache import read_verified, write_verified

RULES = """groups:
  - name: g
    rules:
      - alert: Good
        expr: sum by (job) (rate(http_requests_total{job="a"}[5m])) > 1
        labels: {severity: warning}
        annotations: {summary: fine}
      - alert: Bad
        labels: {severity: warning}
        annotations: {summary: broken}
        expr: |
          sum by (job) (
            rate(http_requests_total{job="a"}[5m]) >
"""
INVENTORY = """version: 1
service:
  name: Kept
  escalation:
    - name: On-call
lint:
  rules: [rules/]
include: [more/*.yaml]
alerts:
  - name: Good
    severity: warning
    summary: Good fired
    last_reviewed: 2099-01-01
    queries:
      - {id: main, title: Main, expr: 'sum(rate(x_total[5m]) by (job)'}
"""
INCLUDED = """alerts:
  - name: Bad
    severity: warning
    summary: Bad fired
    last_reviewed: 2099-01-01
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RULES)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "bad.yaml").write_text(INCLUDED)
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    return tmp_path


def lint(project: Path):
    return run_cli("lint", "--format", "json", cwd=project, env={"XDG_CACHE_HOME": str(project / "cache")})


def findings(result) -> list:
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]


def entries(project: Path, folder: str) -> list[Path]:
    return sorted((project / "cache" / "runbookgen" / folder).glob("*"))


def test_a_rerun_says_what_the_first_run_said(project):
    first = findings(lint(project))
    assert entries(project, "verdicts") and entries(project, "inventories")
    assert findings(lint(project)) == first
    invalid = [(f["file"], f["alert"]) for f in first if f["name"] == "invalid-promql"]
    assert invalid == [("rules/r.yaml", "Bad"), ("runbooks.yaml", "Good")], first  # the rule and the query


def test_a_changed_included_file_or_a_new_match_is_seen(project):
    findings(lint(project))
    (project / "more" / "bad.yaml").write_text(INCLUDED.replace("last_reviewed: 2099-01-01", "last_reviewed: 1"))
    assert lint(project).code == 2  # the schema refuses the edited file: the kept inventory was not used
    (project / "more" / "bad.yaml").write_text(INCLUDED)
    findings(lint(project))
    (project / "more" / "again.yaml").write_text(INCLUDED)  # the glob now matches a second file
    result = lint(project)
    assert result.code == 1 and "Bad" in result.out and "defined" in result.out.lower(), result


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_entry_is_made_again(project, damage):
    first = findings(lint(project))
    for entry in entries(project, "verdicts") + entries(project, "inventories"):
        data = entry.read_bytes()
        entry.write_bytes({"truncate": data[: len(data) // 2], "flip": data[:-10] + bytes(10),
                           "garbage": os.urandom(200)}[damage])
    assert findings(lint(project)) == first


def _plant_verdicts(entry: Path, change) -> None:
    """Rewrite the kept verdicts with a valid digest, entries changed by ``change``."""
    kept = json.loads(read_verified(str(entry)))
    for name in list(kept):
        kept[name] = change(name, kept[name])
    entry.unlink()
    write_verified(str(entry), json.dumps(kept).encode())


def test_verdicts_of_the_wrong_shape_or_out_of_bounds_are_parsed_again(project):
    first = findings(lint(project))
    [entry] = entries(project, "verdicts")
    shapes = [lambda name, raw: [raw[0] and [raw[0][0], 10**9, 1, 1, []], *raw[1:]],  # offset past the end
              lambda name, raw: [None, [], [["x", [["a", "~", "b"]], 0, 0]], "x"],  # not a matcher operator
              lambda name, raw: {"error": None},
              lambda name, raw: [None, [], [], None]]  # "valid" without a normal form
    for change in shapes:
        _plant_verdicts(entry, change)
        assert findings(lint(project)) == first
        findings(lint(project))  # makes the entry whole again for the next shape


def test_an_entry_others_can_write_is_not_trusted(project):
    """A kept verdict that calls every query valid, in a file that is not private, changes nothing."""
    first = findings(lint(project))
    [entry] = entries(project, "verdicts")
    _plant_verdicts(entry, lambda name, raw: [None, [], [], name.split(":", 1)[1]])
    os.chmod(entry, 0o666)
    assert findings(lint(project)) == first
    [inventory_entry] = entries(project, "inventories")
    target = project / "elsewhere.pickle"
    os.replace(inventory_entry, target)
    os.symlink(target, inventory_entry)  # a link to an entry is not an entry
    assert findings(lint(project)) == first


def test_a_kept_inventory_is_the_one_a_fresh_load_gives(project, monkeypatch):
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    from runbookgen.inventory import load_inventory
    from runbookgen.inventory.kept import keep_inventory, kept_inventory, finish
    from runbookgen.inventory import read_inventory

    doc = read_inventory("runbooks.yaml")
    fresh = load_inventory("runbooks.yaml", duplicate_alerts_as_data=True)
    finish(keep_inventory("runbooks.yaml", doc, fresh, ("rules/",)))
    kept, patterns = kept_inventory("runbooks.yaml")
    assert kept == fresh and patterns == ("rules/",)
    assert [(a.pos, a.positions, a.layouts) for a in kept.alerts] == [(a.pos, a.positions, a.layouts)
                                                                       for a in fresh.alerts]
    assert kept.lint.prometheus == fresh.lint.prometheus
