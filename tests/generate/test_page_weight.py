"""Alert pages stay at most 30 KB of HTML, however many queries their runbooks hold, with every query still there.

Built through the CLI: the example service, and a synthetic service whose every alert is as full as the
example's richest page (bench/synth_rich.py: ten queries, six investigation steps, causes, mitigation with
commands, verification, related alerts, a four-contact escalation path).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path

import pytest

from support import REPO, run_cli
from test_build import copy_example

LIMIT = 30 * 1024  # bytes of HTML per alert page (issue 18)
_CODE = re.compile(r'<div class="language-(promql|logql) highlight"><pre>(?:<code[^>]*>)(.*?)</code></pre></div>', re.S)


def _synth_rich():
    spec = importlib.util.spec_from_file_location("synth_rich", REPO / "bench" / "synth_rich.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _alert_pages(site: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((site / "alerts").glob("*.html"))
            if p.name != "index.html"}


def _shown_queries(page: str) -> set[str]:
    return {html.unescape(re.sub(r"<[^>]+>", "", body)).rstrip("\n") for _, body in _CODE.findall(page)}


def _assert_light_and_complete(pages: dict[str, str], queries_of) -> None:
    assert pages
    heavy = {name: len(text.encode("utf-8")) for name, text in pages.items() if len(text.encode("utf-8")) > LIMIT}
    assert heavy == {}, f"alert pages over {LIMIT} bytes: {heavy}"
    for name, text in pages.items():
        assert queries_of(name) <= _shown_queries(text), name  # every query written out, highlighted
        table = re.search(r'<div class="rb-link-table" hidden data-links="([^"]*)"></div>', text)
        kinds = {entry[0] for entry in json.loads(html.unescape(table.group(1)))}
        assert kinds == {"explore", "prometheus"}, name  # and the templates of its links


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rich")
    _synth_rich().write(24, str(folder))
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    return folder


def test_query_heavy_alert_pages_stay_under_30_kb(rich):
    synth = _synth_rich()
    by_page = {f"{synth.name_of(n).lower()}.html": n for n in range(24)}

    def queries_of(page: str) -> set[str]:
        n = by_page[page]
        return {expr for _, _, _, expr, _ in synth.queries(n, synth.COMPONENTS[n % len(synth.COMPONENTS)])}

    _assert_light_and_complete(_alert_pages(rich / "site"), queries_of)


def test_the_example_alert_pages_stay_under_30_kb(tmp_path):
    import yaml

    folder = copy_example(tmp_path)
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    alerts = yaml.safe_load((folder / "runbooks.yaml").read_text(encoding="utf-8"))["alerts"]
    exprs = {f"{a['name'].lower()}.html": {q["expr"].rstrip("\n") for q in a.get("queries", [])
                                           if q.get("datasource", "prometheus") in ("prometheus", "loki")}
             for a in alerts}
    _assert_light_and_complete(_alert_pages(folder / "site"), lambda page: exprs[page])
