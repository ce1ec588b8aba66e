"""The README's adoption path on public rule sets that are not in the shared corpus (tests/adopt/fixtures, each
with a README naming its source and licence): Thanos' example alerts (plain values wrapped over lines), the Loki
mixin's compiled alerts (four-space indentation, | blocks), two groups of the Ceph mixin (everything
double-quoted, Go templates in blocks) and Kentik's Grafana-managed provisioning file
(quoted values, flow mappings, a data source without expr).

Same guarantees as on the corpus: every alert gets a runbook, annotate changes only runbook_url lines (and an
annotations: key above a new one) and --check agrees, promtool's verdicts are unchanged, lint finds nothing
missing, export-rules writes what promtool accepts (Grafana-managed alerts have no Prometheus rule).
"""

from __future__ import annotations

import json

import pytest
import yaml

from adoption_path import PUBLIC_SETS, adopt, prepare

EXPECTED = {  # alerting rules, alert names, rules exported
    "Thanos": (41, 41, 41),
    "Loki mixin": (4, 4, 4),
    "Kentik (Grafana-managed)": (6, 6, 0),
    "Ceph mixin (excerpt)": (4, 4, 4),
}


@pytest.fixture(scope="module", params=sorted(PUBLIC_SETS))
def adopted(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("public")
    return request.param, adopt(prepare(root, request.param, root / "set"))


def test_the_adoption_path_holds_on_public_sets(adopted):
    name, adoption = adopted
    steps = adoption.steps
    assert steps["import"].code == 0, steps["import"]
    report = json.loads(steps["lint"].out)
    assert (report["summary"]["alerting_rules"], report["summary"]["alerts"]) == EXPECTED[name][:2]
    assert not [f for f in report["findings"] if f["name"] in ("missing-runbook", "unknown-severity")
                or f["name"].startswith("runbook-url")], report["findings"][:3]
    assert steps["annotate"].code == 0 and steps["annotate --check"].code == 0, steps["annotate"]
    changed = adoption.changed_lines()
    assert sum(1 for _, sign, line in changed if sign == "+" and "runbook_url" in line) == EXPECTED[name][0]
    assert all("runbook_url" in line or line.strip() == "annotations:" for _, _, line in changed), changed[:3]
    assert not [c for c in changed if c[1] == "-"]
    assert not [f for f in report["findings"] if f["name"] == "invalid-logql"]  # the Loki mixin's folder is loki/
    unchecked = [f for f in report["findings"] if f["name"] == "unchecked-expression"]
    if name.startswith("Kentik"):  # Kentik's queries have no grammar here (and no expr): said once per group
        assert len(unchecked) == 3 and all("query language not known here" in f["message"] for f in unchecked)
    else:
        assert not unchecked, unchecked
    before, after = steps["promtool before"], steps["promtool after"]
    assert (before.code, before.out) == (after.code, after.out)
    for path in adoption.rule_files():  # the edited files read as the same data with runbook_url added
        old = yaml.safe_load(adoption.before[path.relative_to(adoption.root).as_posix()])
        new = yaml.safe_load(path.read_text())
        assert _without_urls(new) == old


def test_export_writes_what_promtool_accepts_and_leaves_grafana_alerts_out(adopted):
    name, adoption = adopted
    export = adoption.steps["export-rules"]
    assert export.code == 0, export
    files = sorted((adoption.root / "exported").glob("*.yaml")) if (adoption.root / "exported").is_dir() else []
    rules = [r for p in files for g in yaml.safe_load(p.read_text())["groups"] for r in g["rules"]]
    assert len(rules) == EXPECTED[name][2]
    if EXPECTED[name][2]:
        checked = adoption.steps["promtool exported"]
        if checked.code == -1:
            pytest.skip("promtool not installed")
        assert checked.code == 0, checked.out + checked.err


def _without_urls(node):
    if isinstance(node, dict):
        out = {k: _without_urls(v) for k, v in node.items() if k != "runbook_url"}
        return out
    if isinstance(node, list):
        return [_without_urls(v) for v in node]
    return node
