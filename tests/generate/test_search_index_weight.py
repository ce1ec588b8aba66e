"""The search index stays small per alert, holds what people search for, and is the same bytes every build.

Built through the CLI: bench/synth.py's service (alerts with one query, a command or two, a cause) and
bench/synth_rich.py's (every alert as full as the example's richest page: ten queries, six steps, four
causes, commands). Measured at 1,000 alerts before the index was made small: 3,394 and 8,383 bytes per
alert; after: 768 and 3,075 (bench/bench_search.py). The budgets leave room for longer names and texts,
and fail long before the index grows back.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path

import pytest

from support import REPO, run_cli

BUDGET = {"synth": 1_000, "rich": 3_600}  # bytes of search_index.json per alert page
FIXED_SENTENCES = ("Respond within", "Download the incident report", "Last reviewed", "escalation path",
                   "The immediate steps are", "(shown above)", "Do this first")
SEPARATOR = re.compile(r'[\s\-{}()\[\],=~!"|`]+|(?!\b)(?=[A-Z][a-z])')  # engine/material.py's SEARCH_SEPARATOR


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(folder: Path, kind: str, count: int) -> bytes:
    _bench("synth" if kind == "synth" else "synth_rich").write(count, str(folder))
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    return (folder / "site" / "search" / "search_index.json").read_bytes()


@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> dict[str, bytes]:
    return {"synth": _build(tmp_path_factory.mktemp("synth"), "synth", 200),
            "rich": _build(tmp_path_factory.mktemp("rich"), "rich", 60)}


def _alert_entries(index: bytes) -> list[dict]:
    return [d for d in json.loads(index)["docs"]
            if d["location"].startswith("alerts/") and d["location"].split("#")[0] != "alerts/index.html"]


def _words(text: str) -> set[str]:
    text = html.unescape(re.sub(r"</?(?:p|li|ol|ul|pre|code|sub|sup)>", " ", text))  # the markup Material keeps
    return {w.lower() for w in SEPARATOR.split(text) if w and not w.isspace()}


@pytest.mark.parametrize("kind", ["synth", "rich"])
def test_index_size_per_alert_stays_under_its_budget(indexes, kind):
    pages = {e["location"].split("#")[0] for e in _alert_entries(indexes[kind])}
    per_alert = len(indexes[kind]) / len(pages)
    assert per_alert <= BUDGET[kind], f"{per_alert:.0f} bytes per alert page (budget {BUDGET[kind]})"


@pytest.mark.parametrize("kind", ["synth", "rich"])
def test_one_plain_text_entry_per_alert_page_without_the_sentences_every_page_repeats(indexes, kind):
    entries = _alert_entries(indexes[kind])
    assert all("#" not in e["location"] for e in entries)
    assert len({e["location"] for e in entries}) == len(entries)
    for entry in entries:
        assert not re.search(r"</?(p|li|ol|ul|pre|code)>", entry["text"]), entry["location"]
        assert [s for s in FIXED_SENTENCES if s in entry["text"]] == [], entry["location"]
    listing = [d for d in json.loads(indexes[kind])["docs"] if d["location"].startswith("alerts/index.html")]
    assert sum(len(d["text"]) for d in listing) < 1_000  # the alert index's table is not indexed again


def test_what_people_search_for_is_in_each_alerts_entry(indexes):
    """Name, summary, description, owner, tags, every word of every query and the rule, causes, steps."""
    import yaml  # the inventory as the user wrote it

    alerts = yaml.safe_load(_bench("synth_rich").inventory_yaml(60))["alerts"]
    found_on: dict[str, set[str]] = {}  # words of each page's entries (the page's and any section's)
    for entry in _alert_entries(indexes["rich"]):
        found_on.setdefault(entry["location"].split("#")[0], set()).update(_words(entry["title"] + " " + entry["text"]))
    assert len(alerts) == len(found_on) == 60
    for alert in alerts:
        found = found_on[f"alerts/{alert['name'].lower()}.html"]
        wanted = [alert["name"], alert["summary"], alert.get("description", ""), alert.get("owner", ""),
                  " ".join(alert.get("tags", [])), alert.get("expr", "")]
        wanted += [q["expr"] for q in alert.get("queries", [])]
        wanted += [c["cause"] + " " + c.get("confirm", "") for c in alert.get("causes", [])]
        wanted += [s["step"] if isinstance(s, dict) else s for s in alert.get("investigation", [])]
        missing = set().union(*(_words(text) for text in wanted)) - found
        assert missing == set(), (alert["name"], sorted(missing)[:20])


def test_same_inventory_same_index_bytes(indexes, tmp_path):
    assert _build(tmp_path, "synth", 200) == indexes["synth"]
