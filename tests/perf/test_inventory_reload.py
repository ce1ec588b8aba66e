"""``serve`` reads again only the alerts an edit changed (inventory/incremental.py): after every edit, of every
kind, what it gives equals what a full load of the same files gives, positions included, or the very same
problems."""

from __future__ import annotations

import os
import random

import pytest

from runbookgen.inventory import load_inventory
from runbookgen.inventory.incremental import InventoryReloader
from runbookgen.problems import InputError
from sites import service


def outcome(load):
    try:
        return load(), None
    except InputError as err:
        return None, [str(p) for p in err.problems]


def assert_same(reloader, path):
    full, full_problems = outcome(lambda: load_inventory(path))
    got, got_problems = outcome(reloader.load)
    assert got_problems == full_problems
    if full is None:
        return False
    assert got == full
    assert [a.pos for a in got.alerts] == [a.pos for a in full.alerts]
    for mine, theirs in zip(got.alerts, full.alerts, strict=True):  # compare=False fields, compared here
        assert mine.positions == theirs.positions, mine.name
        assert mine.layouts == theirs.layouts, mine.name
    return True


def alert_starts(lines):
    return [n for n, line in enumerate(lines) if line.startswith("  - name: ")]


def random_edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    starts = alert_starts(lines)
    first, last = starts[0], len(lines) - 1
    at = rng.randrange(first, last)
    kind = rng.choice(["word", "word", "step", "blank", "comment", "drop_line", "indent", "dedent", "copy_alert",
                       "drop_alert", "rename", "severity", "link", "anchor", "outside", "swap", "quote", "new_key",
                       "block_scalar", "flow"])
    if kind == "word":
        lines[at] = lines[at].replace("the", "a", 1) if "the" in lines[at] else lines[at] + " x"
    elif kind == "step":
        lines.insert(at, "      - step: Look again.")
    elif kind == "blank":
        lines.insert(at, "")
    elif kind == "comment":
        lines.insert(at, rng.choice(["# note", "    # note", "  # note"]))
    elif kind == "drop_line":
        del lines[at]
    elif kind == "indent":
        lines[at] = "  " + lines[at]
    elif kind == "dedent" and lines[at].startswith("  "):
        lines[at] = lines[at][2:]
    elif kind in ("copy_alert", "drop_alert", "swap") and len(starts) > 2:
        n = rng.randrange(len(starts) - 1)
        block = lines[starts[n]:starts[n + 1]]
        if kind == "copy_alert":
            lines[starts[n]:starts[n]] = block
        elif kind == "drop_alert":
            del lines[starts[n]:starts[n + 1]]
        else:
            nxt = lines[starts[n + 1]:starts[n + 2]] if n + 2 < len(starts) else None
            if nxt is not None:
                lines[starts[n]:starts[n + 2]] = nxt + block
    elif kind == "rename":
        n = rng.choice(starts)
        lines[n] = lines[n] + rng.choice(["X", "Y"])
    elif kind == "severity":
        n = rng.choice(starts)
        for k in range(n, min(n + 6, len(lines))):
            if lines[k].startswith("    severity: "):
                lines[k] = "    severity: " + rng.choice(["P0", "P1", "P9"])
    elif kind == "link":
        lines.insert(rng.choice(starts) + 1, "    description: see [x](" + rng.choice(
            ["procedures.md", "alerts/nowhere.md", "https://example.com"]) + ")")
    elif kind == "anchor":
        n = rng.choice(starts)
        lines.insert(n + 1, rng.choice(["    owner: &who team-a", "    owner: *who", "    tags: [a & b]"]))
    elif kind == "outside":
        at = rng.randrange(0, first)
        lines[at] = lines[at] + (" # c" if ":" in lines[at] else "")
    elif kind == "quote":
        lines[at] = lines[at].replace(": ", ': "', 1)
    elif kind == "new_key":
        lines.insert(rng.choice(starts + [len(lines) - 1]), rng.choice(["extra: 1", "lint:", "alerts:"]))
    elif kind == "block_scalar":
        n = rng.choice(starts)
        lines[n + 1:n + 1] = ["    impact: |", "      first", "", "      - not an item", "        deeper"]
    elif kind == "flow":
        n = rng.choice(starts)
        lines.insert(n + 1, rng.choice(["    tags: [a, b", "    tags: [a, b]", "    labels: {team: x}"]))
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(5))
def test_random_edits_give_what_a_full_load_gives(tmp_path, seed, monkeypatch):
    folder = service(tmp_path / "svc", 14)
    monkeypatch.chdir(folder)
    path = "runbooks.yaml"
    rng = random.Random(seed)
    reloader = InventoryReloader(path)
    assert assert_same(reloader, path)
    good = original = (folder / path).read_text()
    valid = 0
    for _ in range(60):
        text = random_edit(good, rng) if rng.random() < 0.8 else random_edit(random_edit(good, rng), rng)
        (folder / path).write_text(text)
        if assert_same(reloader, path):
            valid += 1
            good = text if len(alert_starts(text.split("\n"))) > 3 else original
    assert valid >= 5
    assert reloader.spliced > 5, "the edits were read as changes of some alerts, not as full loads"


def test_an_edit_of_an_included_file_and_of_what_a_glob_matches(tmp_path, monkeypatch):
    folder = service(tmp_path / "svc", 12)
    monkeypatch.chdir(folder)
    text = (folder / "runbooks.yaml").read_text()
    lines = text.split("\n")
    starts = alert_starts(lines)
    moved = lines[starts[8]:]
    (folder / "teams").mkdir()
    (folder / "teams" / "a.yaml").write_text("alerts:\n" + "\n".join(moved) + "\n")
    (folder / "runbooks.yaml").write_text("include: [teams/*.yaml]\n" + "\n".join(lines[:starts[8]]) + "\n")
    reloader = InventoryReloader("runbooks.yaml")
    assert assert_same(reloader, "runbooks.yaml")

    edit = (folder / "runbooks.yaml").read_text().replace("Look at the main signal.", "Look at the signal.", 1)
    (folder / "runbooks.yaml").write_text(edit)
    assert assert_same(reloader, "runbooks.yaml") and reloader.spliced == 1

    included = folder / "teams" / "a.yaml"
    included.write_text(included.read_text().replace("Look at the main signal.", "Look at it.", 1))
    assert assert_same(reloader, "runbooks.yaml")
    (folder / "teams" / "b.yaml").write_text("alerts:\n  - name: Extra\n    severity: P1\n    summary: s\n")
    assert assert_same(reloader, "runbooks.yaml")
    assert reloader.load().alerts[-1].name == "Extra"
    os.remove(folder / "teams" / "b.yaml")
    assert assert_same(reloader, "runbooks.yaml")


def test_an_inventory_made_invalid_then_valid_again(tmp_path, monkeypatch):
    folder = service(tmp_path / "svc", 10)
    monkeypatch.chdir(folder)
    path = folder / "runbooks.yaml"
    good = path.read_text()
    reloader = InventoryReloader("runbooks.yaml")
    reloader.load()
    path.write_text(good.replace("    severity: P1\n", "    severity: P7\n", 1))
    with pytest.raises(InputError) as err:
        reloader.load()
    assert "unknown severity 'P7'" in str(err.value.problems[0])
    path.write_text(good.replace("Look at the main signal.", "Look again.", 1))
    assert assert_same(reloader, "runbooks.yaml")
    assert reloader.spliced >= 1


def test_an_anchor_one_alert_defines_and_another_uses_is_read_again_in_both(tmp_path, monkeypatch):
    folder = service(tmp_path / "svc", 8)
    monkeypatch.chdir(folder)
    path = folder / "runbooks.yaml"
    lines = path.read_text().split("\n")
    starts = alert_starts(lines)
    lines.insert(starts[5] + 1, "    runbook_url: *who")
    lines.insert(starts[1] + 1, "    runbook_url: &who https://wiki.example.com/a")
    path.write_text("\n".join(lines))
    reloader = InventoryReloader("runbooks.yaml")
    assert assert_same(reloader, "runbooks.yaml")
    path.write_text(path.read_text().replace("wiki.example.com/a", "wiki.example.com/b"))
    assert assert_same(reloader, "runbooks.yaml")
    assert {a.runbook_url for a in reloader.load().alerts if a.runbook_url} == {"https://wiki.example.com/b"}
