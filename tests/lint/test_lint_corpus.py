"""Real public data: kube-prometheus' PrometheusRule manifests against prometheus-operator's runbook pages,
and the queries of awesome-prometheus-alerts. The expected answers come from the corpus README."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from lint_helpers import CORPUS

from runbookgen.lint import run_lint
from runbookgen.project import resolve_project
from runbookgen.queries.promql import promql_error

MANIFESTS = "prometheus-operator__kube-prometheus/manifests"
PAGES = "prometheus-operator__runbooks/content/runbooks"
CATALOGUE = "samber__awesome-prometheus-alerts/_data/rules.yml"

LACKING_A_PAGE = {
    "AlertmanagerClusterFailedPeers", "GrafanaRequestsFailing", "KubeAPIInstanceUnreachable",
    "KubeControllerManagerInstanceUnreachable", "KubeDeploymentRolloutStuck", "KubeJobNotCompleted",
    "KubeNodeEviction", "KubeNodePressure", "KubePdbNotEnoughHealthyPods", "KubePersistentVolumeInodesFillingUp",
    "KubeSchedulerInstanceUnreachable", "KubeletInstanceUnreachable", "NodeBondingDegraded", "NodeCPUHighUsage",
    "NodeDiskIOSaturation", "NodeMemoryHighUtilization", "NodeMemoryMajorPagesFaults", "NodeSystemSaturation",
    "NodeSystemdServiceCrashlooping", "NodeSystemdServiceFailed", "PrometheusHighQueryLoad",
    "PrometheusKubernetesListWatchFailures", "PrometheusOperatorStatusUpdateErrors", "PrometheusSDRefreshFailure",
    "PrometheusScrapeBodySizeLimitHit", "PrometheusScrapeSampleLimitHit",
}
ORPHAN_PAGES = {"KubeJobCompletion", "KubeProxyDown", "etcdBackendQuotaLowSpace", "etcdGRPCRequestsSlow",
                "etcdHighFsyncDurations", "etcdHighNumberOfFailedGRPCRequests", "etcdInsufficientMembers",
                "etcdMembersDown", "etcdNoLeader"}
RANK = {"critical": 0, "warning": 1, "info": 2, "none": 3}


def _rule_severities(corpus: Path) -> dict[str, str]:
    """Each alert's most severe rule severity, read independently of runbookgen."""
    worst: dict[str, str] = {}
    for path in sorted((corpus / MANIFESTS).glob("*.yaml")):
        for group in yaml.safe_load(path.read_text())["spec"]["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    sev = rule["labels"]["severity"]
                    if rule["alert"] not in worst or RANK[sev] < RANK[worst[rule["alert"]]]:
                        worst[rule["alert"]] = sev
    return worst


def _inventory_from_pages(corpus: Path, target: Path, severities: dict[str, str]) -> Path:
    names = sorted(p.stem for p in (corpus / PAGES).glob("*/*.md") if p.stem != "_index")
    alerts = [{"name": n, "severity": severities.get(n, "warning"), "summary": f"See the runbook page for {n}",
               "last_reviewed": "2026-01-01"} for n in names]
    inventory = {
        "version": 1,
        "service": {"name": "kube-prometheus", "escalation": [{"name": "Cluster on-call"}]},
        "severities": [{"id": "critical", "pages": True, "labels": ["critical"]}, {"id": "warning"},
                       {"id": "info"}, {"id": "none", "labels": ["none"]}],
        "lint": {"exempt_severities": ["none"], "checks": {"incomplete-runbook": "off"}},
        "alerts": alerts,
    }
    target.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return target


@pytest.fixture(scope="module")
def kube_prometheus(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set RUNBOOKGEN_CORPUS to its path)")
    corpus = CORPUS
    folder = tmp_path_factory.mktemp("kube-prometheus")
    inventory = _inventory_from_pages(corpus, folder / "runbooks.yaml", _rule_severities(corpus))
    return run_lint(resolve_project(str(inventory), rules=(str(corpus / MANIFESTS),)), day=dt.date(2026, 3, 1))


def test_missing_runbooks_are_exactly_the_alerts_without_a_page(kube_prometheus, corpus):
    missing = [f for f in kube_prometheus.findings if f.code == "RB001"]
    assert {f.alert for f in missing} == LACKING_A_PAGE
    assert len(missing) == 26
    for finding in missing:  # each points at its rule's "alert:" key in the manifest
        text = Path(finding.pos.file).read_text().splitlines()
        assert text[finding.pos.line - 1][finding.pos.col - 1:] == f"alert: {finding.alert}"


def test_finding_lines_match_the_manifests(kube_prometheus, corpus):
    where = {f.alert: (Path(f.pos.file).name, f.pos.line, f.pos.col, f.level)
             for f in kube_prometheus.findings if f.code == "RB001"}
    assert where["AlertmanagerClusterFailedPeers"] == ("alertmanager-prometheusRule.yaml", 140, 7, "warning")
    assert where["GrafanaRequestsFailing"] == ("grafana-prometheusRule.yaml", 17, 7, "warning")
    assert where["KubePersistentVolumeInodesFillingUp"] == ("kubernetesControlPlane-prometheusRule.yaml", 519, 7,
                                                            "error")  # the critical variant pages
    lines = (corpus / MANIFESTS / "kubernetesControlPlane-prometheusRule.yaml").read_text().splitlines()
    assert lines[518].strip() == "- alert: KubePersistentVolumeInodesFillingUp"
    assert lines[538].strip() == "- alert: KubePersistentVolumeInodesFillingUp"  # the second rule, in the message
    finding = next(f for f in kube_prometheus.findings if f.alert == "KubePersistentVolumeInodesFillingUp")
    assert finding.message.endswith("(2 rules; also line 539)")


def test_orphans_and_coverage(kube_prometheus):
    assert {f.alert for f in kube_prometheus.findings if f.code == "RB002"} == ORPHAN_PAGES
    c = kube_prometheus.coverage
    assert (c.alerting_rules, c.recording_rules, c.alerts) == (139, 95, 125)
    assert (c.with_runbook, c.exempt, c.required, c.covered) == (99, 2, 123, 97)


def test_severity_variants_sharing_a_runbook_agree(kube_prometheus):
    """12 alert names have a warning and a critical rule; a runbook with the most severe one is consistent."""
    assert [f for f in kube_prometheus.findings if f.code in ("RB006", "RB007")] == []
    assert {f.code for f in kube_prometheus.findings} <= {"RB001", "RB002", "RB005"}  # RB005: url not compared
    assert kube_prometheus.notes  # no site_url: runbook_url targets not compared, and lint says so


def test_severity_none_is_easy_to_exempt(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice: {name: k}\nseverities:\n  - {id: critical, pages: true}\n  - {id: warning}\n"
        "  - {id: info}\nlint:\n  exempt_severities: [none]\n")
    result = run_lint(resolve_project("runbooks.yaml", rules=(str(corpus / MANIFESTS),)), day=dt.date(2026, 3, 1))
    missing = {f.alert for f in result.findings if f.code == "RB001"}
    assert len(missing) == 123 and not missing & {"Watchdog", "InfoInhibitor"}
    assert [f for f in result.findings if f.code == "RB006"] == []


def _catalogue(corpus: Path) -> list[dict]:
    data = yaml.load((corpus / CATALOGUE).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return [rule for group in data["groups"] for service in group["services"]
            for exporter in service["exporters"] for rule in exporter.get("rules") or []]


def test_awesome_prometheus_alerts_queries(corpus):
    rules = _catalogue(corpus)
    assert len(rules) == 1155
    failing = [(r["name"], promql_error(r["query"])) for r in rules if promql_error(r["query"])]
    assert [name for name, _ in failing] == ["Kubernetes version mismatch"]
    assert failing[0][1].startswith("unknown escape sequence \\.")


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (Debian package prometheus)")
def test_awesome_prometheus_alerts_queries_agree_with_promtool(corpus, tmp_path):
    rules = _catalogue(corpus)
    doc = {"groups": [{"name": "catalogue", "rules": [
        {"alert": f"Rule{n:04d}", "expr": r["query"]} for n, r in enumerate(rules)]}]}
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(doc))
    proc = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True, text=True, timeout=120)
    rejected = sorted({int(part.split('"Rule')[1][:4]) for part in proc.stderr.split("\n") if '"Rule' in part})
    ours = [n for n, r in enumerate(rules) if promql_error(r["query"])]
    assert rejected == ours and [rules[n]["name"] for n in ours] == ["Kubernetes version mismatch"]
