"""What an on-call engineer types into search finds the right page first, in Chromium, on a built site.

The site is bench/synth.py's synthetic service (120 alerts that look alike: same words, same metrics, same
sentences) where some alerts carry something of their own: words in the summary or description, a metric
in the rule expression, a label in a query, an owner, a cause, a procedure they follow; and alerts whose
names hold markup, quotes, non-ASCII letters and spaces. Each probe types what a person would and checks the
first result. The search index keeps one entry per alert page, without the text every page repeats
(engine/search_entries.py and the data-search-exclude marks in the templates).
"""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from browser_helpers import built_site, search, slug, wait_until_ready
from support import REPO

COUNT = 120
HOSTILE_NAMES = {
    "markup": 'Zanzibar <script>alert(1)</script> "quoted" & <img src=x onerror=pwn(1)>',
    "unicode": "Überlast der Warteschlange 日本語",
    "spaces": "Quokka Gateway Saturated",
}


def _synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _probe_inventory(synth) -> dict:
    inventory = yaml.safe_load(synth.inventory_yaml(COUNT))
    alerts = inventory["alerts"]
    alerts[7]["summary"] = "the flamingo ledger rejects settlement batches"
    alerts[19]["description"] = "Nightly reconciliation against the albatross clearing house stopped."
    alerts[23]["expr"] = 'max(kiwi_batch_backlog_seconds{job="worker"}) > 600'
    alerts[31]["queries"].append({"id": "zephyr", "title": "By shard", "datasource": "prometheus",
                                  "expr": 'sum by (zephyr_partition) (rate(http_requests_total{job="api"}[5m]))'})
    alerts[31]["investigation"].append({"step": "Split by partition.", "query": "zephyr"})
    alerts[44]["owner"] = "team-osprey"
    alerts[52]["causes"].append({"cause": "A gryphon cache stampede after a cold start",
                                 "confirm": "Cache hit ratio drops to zero."})
    alerts[61]["investigation"].append({"step": "Free the lane.", "procedure": "drain-marmot"})
    inventory["procedures"] = [{"id": "drain-marmot", "title": "Drain the marmot queue", "kind": "procedure",
                                "steps": [{"step": "Stop the consumers.", "command": "kubectl scale --replicas=0"}]}]
    for name in HOSTILE_NAMES.values():
        alerts.append({**alerts[3], "name": name, "related": [], "summary": "A hostile name."})
    return inventory


@pytest.fixture(scope="module")
def probes(tmp_path_factory, chromium):
    synth = _synth()
    folder = tmp_path_factory.mktemp("search-probes")
    synth.write(COUNT, str(folder))
    inventory = _probe_inventory(synth)
    (folder / "runbooks.yaml").write_text(yaml.safe_dump(inventory, sort_keys=False, allow_unicode=True),
                                          encoding="utf-8")
    built = built_site(folder)
    yield built
    built.server.stop()


def _first(open_page, site, query: str) -> list[dict]:
    page, recorder = open_page()
    page.goto(site.server.url("alerts/index.html"))
    wait_until_ready(page)
    results = search(page, query)
    assert recorder.problems() == []
    return results


def _alert_url(site, name: str) -> str:
    return site.server.url(f"alerts/{slug(name)}.html")


PROBES = [  # (what people search for, the alert's index in the inventory, what they type)
    ("alert name", 42, None),
    ("summary words", 7, "flamingo ledger"),
    ("description words", 19, "albatross clearing"),
    ("metric in the rule expression", 23, "kiwi_batch_backlog_seconds"),
    ("label in a query", 31, "zephyr_partition"),
    ("owner", 44, "osprey"),
    ("cause", 52, "gryphon stampede"),
]


@pytest.mark.parametrize("kind, which, query", PROBES, ids=[p[0] for p in PROBES])
def test_each_kind_of_search_finds_its_alert_first(probes, open_page, kind, which, query):
    alert = probes.inventory["alerts"][which]
    results = _first(open_page, probes, query or alert["name"])
    assert results, f"nothing found for {kind}"
    assert results[0]["page"] == _alert_url(probes, alert["name"]), (kind, [r["page"] for r in results[:3]])


def test_a_procedure_is_found_first_and_the_alerts_that_follow_it_with_it(probes, open_page):
    results = _first(open_page, probes, "marmot")
    pages = [r["page"] for r in results]
    assert pages[0] == probes.server.url("procedures/drain-marmot.html"), pages[:3]
    assert _alert_url(probes, probes.inventory["alerts"][61]["name"]) in pages, pages


@pytest.mark.parametrize("key, query", [("markup", "Zanzibar"), ("unicode", "Überlast"), ("spaces", "Quokka")])
def test_alerts_with_hostile_names_are_found_by_a_word_of_their_name_and_shown_as_text(probes, open_page,
                                                                                       key, query):
    page, recorder = open_page()
    page.add_init_script("window.__pwned = []; window.pwn = function (c) { window.__pwned.push(String(c)); };")
    page.goto(probes.server.url("index.html"))
    wait_until_ready(page)
    results = search(page, query)
    assert results and results[0]["page"] == _alert_url(probes, HOSTILE_NAMES[key]), [r["page"] for r in results]
    if key == "markup":
        assert "<script>alert(1)</script>" in results[0]["title"]
    assert page.evaluate("() => window.__pwned") == []
    assert recorder.problems() == [] and recorder.dialogs == []


def test_words_every_alert_page_repeats_find_no_alert_page(probes, open_page):
    """The first screen's fixed sentences are not indexed: searching them does not list thousands of pages."""
    results = _first(open_page, probes, "prefilled")
    assert not [r for r in results if "/alerts/" in r["page"]], [r["page"] for r in results[:5]]
