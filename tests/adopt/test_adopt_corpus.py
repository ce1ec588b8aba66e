"""The README's adoption path on real rule sets: import, annotate, lint, build, export-rules + promtool.

Each set runs once per module (it takes seconds to a minute). What must hold on every set: import
maps severities (with the mapping it suggests) and gives every alert name a runbook; annotate
changes only runbook_url lines (and an annotations: key above a new one), its --check is clean
afterwards, promtool's verdicts on the rule files are the same before and after, and links the
rules had to runbooks elsewhere are kept; lint finds no missing runbook; export-rules either
writes a Prometheus file promtool accepts or exits 2 naming the alert it cannot export.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from adoption_path import SETS, adopt, prepare

EXPECTED = {  # alerting rules and alert names read, and rules exported, per set (corpus README)
    "kube-prometheus": (139, 125, 137),  # Watchdog and InfoInhibitor (severity none) are exempt: no entry
    "OpenShift": (124, 119, 124),
    "GitLab": (908, 637, 908),
    "VictoriaMetrics": (87, 70, 87),
    "VictoriaMetrics (ruler: vmalert)": (93, 74, 93),  # with vmalert's test files: 6 alerts, 2 in LogsQL
}


@pytest.fixture(scope="module", params=sorted(SETS))
def adopted(request, tmp_path_factory):
    from support import CORPUS as corpus

    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus} (set RUNBOOKGEN_CORPUS to its path)")
    root = tmp_path_factory.mktemp(request.param.replace(" ", ""))
    return request.param, adopt(prepare(corpus, request.param, root / "set"), build=request.param == "OpenShift")


def test_import_gives_every_alert_name_a_runbook(adopted):
    name, adoption = adopted
    assert adoption.steps["import"].code == 0, adoption.steps["import"]
    alerts = yaml.safe_load((adoption.root / "runbooks.yaml").read_text())["alerts"]
    names = [a["name"] for a in alerts]
    report = json.loads(adoption.steps["lint"].out)
    assert report["summary"]["alerting_rules"] == EXPECTED[name][0]
    assert report["summary"]["alerts"] == EXPECTED[name][1]
    assert len(names) == len(set(names)) == report["summary"]["alerts_requiring_runbook"]
    assert not [f for f in report["findings"] if f["name"] == "missing-runbook" or (
        f["name"] == "unknown-severity" and "has no severity label" not in f["message"])]  # vmalert's test files


def test_annotate_changes_only_runbook_url_lines_and_promtool_agrees(adopted):
    name, adoption = adopted
    annotate = adoption.steps["annotate"]
    assert annotate.code == 0, annotate
    assert adoption.steps["annotate --check"].code == 0, adoption.steps["annotate --check"]
    changed = adoption.changed_lines()
    for file, sign, line in changed:
        assert "runbook_url" in line or line.strip() == "annotations:", (file, sign, line)
    assert not [c for c in changed if c[1] == "-" and "runbook_url" not in c[2]]
    before, after = adoption.steps["promtool before"], adoption.steps["promtool after"]
    assert (before.code, before.out) == (after.code, after.out)
    report = json.loads(adoption.steps["lint"].out)
    url_findings = [f for f in report["findings"] if f["name"].startswith("runbook-url")]
    assert not url_findings, url_findings[:3]


def test_links_to_runbooks_elsewhere_are_kept(adopted):
    name, adoption = adopted
    alerts = yaml.safe_load((adoption.root / "runbooks.yaml").read_text())["alerts"]
    kept = {a["name"]: a["runbook_url"] for a in alerts if a.get("runbook_url")}
    if name in ("kube-prometheus", "OpenShift"):
        assert kept and all(url.startswith(("https://runbooks.prometheus-operator.dev/", "https://github.com/openshift/"))
                            for url in kept.values())
    removed = [line for _, sign, line in adoption.changed_lines() if sign == "-"]
    assert not [line for line in removed if any(url in line for url in kept.values())]


def test_export_passes_promtool_or_names_what_it_cannot_export(adopted):
    name, adoption = adopted
    export = adoption.steps["export-rules"]
    if name == "VictoriaMetrics":  # no ruler named: two vmalert groups without vmalert keys are read as PromQL
        assert export.code == 2, export  # and their MetricsQL functions are not PromQL: every one is named
        for alert in ("NoSelfMonitoringMetrics", "TooHighCPUUsage"):
            assert f"alert {alert!r}: expr is not valid PromQL" in export.err, export
        assert "ruler: vmalert" in export.err and "Traceback" not in export.err
        return
    assert export.code == 0, export
    exported = {p.name: yaml.safe_load(p.read_text()) for p in sorted((adoption.root / "exported").glob("*.yaml"))}
    rules = [r for doc in exported.values() for g in doc["groups"] for r in g["rules"]]
    assert len(rules) == EXPECTED[name][2]  # every alerting rule with a runbook comes back, variants included
    if name == "VictoriaMetrics (ruler: vmalert)":
        assert list(exported) == ["vmalert.rules.yaml"]
        assert "2 LogsQL rules and 91 MetricsQL rules exported unchecked" in export.err, export
        groups = {g["name"]: g for g in exported["vmalert.rules.yaml"]["groups"]}
        assert groups["ServiceLog"]["type"] == "vlogs" and groups["vmcluster"]["concurrency"] == 2
        return
    checked = adoption.steps["promtool exported"]
    if checked.code == -1:
        pytest.skip("promtool not installed")
    assert checked.code == 0, checked.out + checked.err


def test_build_makes_a_page_per_alert(adopted):
    name, adoption = adopted
    if "build" not in adoption.steps:
        pytest.skip("the site is built for one set only (it takes a while)")
    assert adoption.steps["build"].code == 0, adoption.steps["build"]
    pages = list((adoption.root / "site" / "alerts").rglob("*.html"))
    assert len(pages) >= EXPECTED[name][1]
    kept = next(p for p in pages if "alertmanagerfailedreload" in p.as_posix())
    assert "kept elsewhere" in kept.read_text()


def test_moving_an_alert_into_the_inventory_points_its_rules_at_the_page(cli, tmp_path):
    from support import CORPUS as corpus

    if not corpus.is_dir():
        pytest.skip("shared corpus not found")
    adoption = prepare(corpus, "kube-prometheus", tmp_path / "set")
    assert cli("import", cwd=adoption.root).code == 0
    text = (adoption.root / "runbooks.yaml").read_text()
    line = next(ln for ln in text.splitlines() if "runbook_url: https://runbooks.prometheus-operator.dev/runbooks/"
                "alertmanager/alertmanagerfailedreload" in ln)
    (adoption.root / "runbooks.yaml").write_text(text.replace(line + "\n", ""))  # README: delete the line
    result = cli("annotate", cwd=adoption.root)
    assert result.code == 0, result
    assert "set 1 runbook_url annotation" in result.out
    manifest = (adoption.root / "rules" / "manifests" / "alertmanager-prometheusRule.yaml").read_text()
    assert "runbook_url: https://runbooks.example.com/alerts/alertmanagerfailedreload/" in manifest
    shutil.rmtree(adoption.root)
