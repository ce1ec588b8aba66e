"""runbookgen export-rules: rule files from the inventory that promtool accepts and lint maps back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"


def promtool() -> str:
    path = shutil.which("promtool")
    if not path:
        pytest.skip("promtool not installed (Debian package prometheus)")
    return path


@pytest.fixture
def payments(tmp_path) -> Path:
    target = tmp_path / "payments"
    shutil.copytree(FIXTURES / "export", target)
    return target


def test_export_writes_one_file_per_dialect(cli, payments):
    result = cli("export-rules", "--out", "out", cwd=payments)
    assert result.code == 0, result
    assert result.out == ("wrote out/prometheus.rules.yaml: 2 prometheus alerting rules in 2 groups\n"
                          "wrote out/loki.rules.yaml: 2 loki alerting rules in 1 group\n")
    assert "left out PaymentsSlowTraces (runbooks.yaml:48:5): its datasource is a Tempo one" in result.err
    prometheus = yaml.safe_load((payments / "out/prometheus.rules.yaml").read_text())
    assert [g["name"] for g in prometheus["groups"]] == ["payments-payments-backend", "payments-payments-sre"]
    errors = prometheus["groups"][1]["rules"][0]
    assert errors == {
        "alert": "PaymentsErrors",
        "expr": 'sum by (route) (rate(payments_requests_total{code=~"5.."}[5m]))\n'
                "  / sum by (route) (rate(payments_requests_total[5m])) > 0.05",
        "for": "5m", "keep_firing_for": "10m",
        "labels": {"priority": "critical", "component": "api"},  # lint.severity_label; the severity's first label
        "annotations": {"summary": "{{ $labels.route }} fails: more than 5% errors.",
                        "description": "The share of failed payment requests is above 5%.\n\nCustomers cannot pay.",
                        "runbook_url": "https://runbooks.example.com/payments/alerts/paymentserrors.html"},
    }
    loki = yaml.safe_load((payments / "out/loki.rules.yaml").read_text())
    rules = loki["groups"][0]["rules"]
    assert [r["alert"] for r in rules] == ["PaymentsPanics", "PaymentsLogErrors"]
    assert rules[0]["labels"] == {"priority": "P3"}  # a severity without labels: its id
    assert "keep_firing_for" not in rules[0]


def test_promtool_accepts_the_prometheus_file(cli, payments):
    tool = promtool()
    assert cli("export-rules", "--out", "out", cwd=payments).code == 0
    check = subprocess.run([tool, "check", "rules", "out/prometheus.rules.yaml"], cwd=payments,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 2 rules found" in check.stdout


def test_export_is_deterministic_and_lint_maps_it_back(cli, payments):
    assert cli("export-rules", "--out", "out", cwd=payments).code == 0
    first = (payments / "out/prometheus.rules.yaml").read_bytes()
    assert cli("export-rules", "--out", "out", cwd=payments).code == 0
    assert (payments / "out/prometheus.rules.yaml").read_bytes() == first
    report = json.loads(cli("lint", "--rules", "out/", "--format", "json", cwd=payments).out)
    wrong = {"missing-runbook", "runbook-url-missing", "runbook-url-mismatch", "severity-mismatch",
             "unknown-severity", "expression-drift", "invalid-promql", "invalid-logql"}
    exported = {"PaymentsErrors", "PaymentsQueueBacklog", "PaymentsPanics", "PaymentsLogErrors"}
    assert [f for f in report["findings"] if f["name"] in wrong and f["alert"] in exported] == []


def test_export_does_not_replace_a_hand_written_file(cli, payments):
    (payments / "out").mkdir()
    (payments / "out/prometheus.rules.yaml").write_text("groups: []  # mine\n")
    result = cli("export-rules", "--out", "out", cwd=payments)
    assert result.code == 2
    assert result.err.startswith("out/prometheus.rules.yaml:1:1: exists and was not written by runbookgen "
                                 "export-rules; use --force to replace it")
    assert (payments / "out/prometheus.rules.yaml").read_text() == "groups: []  # mine\n"
    assert cli("export-rules", "--out", "out", "--force", cwd=payments).code == 0


def test_export_needs_to_know_where_the_pages_are(cli, payments):
    (payments / "mkdocs.yml").unlink()
    result = cli("export-rules", "--out", "out", cwd=payments)
    assert result.code == 2
    assert "cannot tell where the runbook pages are published: set site_url" in result.err


GROUPED = """version: 1
service:
  name: gitlab
alerts:
  - name: WebDown
    severity: critical
    summary: Web is down.
    expr: up{job="web"} == 0
    for: 5m
    labels: {team: web}
    annotations: {title: Web is down, grafana_dashboard_id: abc}
    group: {name: web.rules, interval: 1m, limit: 10}
  - name: Thanos side
    severity: warning
    summary: Thanos evaluates this.
    expr: sum(rate(errors_total[5m])) > 1
    group: {name: thanos.rules, interval: 2m, partial_response_strategy: warn}
"""


def test_group_settings_and_other_annotations_come_back(cli, tmp_path):
    tool = promtool()
    (tmp_path / "runbooks.yaml").write_text(GROUPED)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    result = cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result
    prometheus = yaml.safe_load((tmp_path / "out/prometheus.rules.yaml").read_text())
    assert prometheus["groups"][0] == {"name": "web.rules", "interval": "1m", "limit": 10, "rules": [{
        "alert": "WebDown", "expr": 'up{job="web"} == 0', "for": "5m",
        "labels": {"severity": "critical", "team": "web"},
        "annotations": {"summary": "Web is down.", "title": "Web is down", "grafana_dashboard_id": "abc",
                        "runbook_url": "https://runbooks.example.com/alerts/webdown/"}}]}
    thanos = yaml.safe_load((tmp_path / "out/thanos.rules.yaml").read_text())
    assert thanos["groups"][0]["partial_response_strategy"] == "warn"
    assert thanos["groups"][0]["rules"][0]["alert"] == "Thanos side"
    check = subprocess.run([tool, "check", "rules", "out/prometheus.rules.yaml"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_label_names_prometheus_refuses_stop_the_export_with_their_position(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: x\nalerts:\n  - name: A\n    severity: critical\n    summary: s\n"
        "    expr: up == 0\n    labels:\n      bad label: x\n      1abc: y\n      ok: z\n"
        "    annotations: {'a-b': c}\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    result = cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 2, result
    assert "runbooks.yaml:10:18: alert 'A': label name 'bad label' is not valid for Prometheus" in result.err
    assert "runbooks.yaml:11:13: alert 'A': label name '1abc' is not valid" in result.err
    assert "alert 'A': annotation name 'a-b' is not valid" in result.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_expression_promtool_would_refuse_stops_the_export(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: x\nalerts:\n  - name: A\n    severity: critical\n    summary: s\n"
        "    expr: sum(rate(x[5m]) > \n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    result = cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 2 and "runbooks.yaml:8:11: alert 'A': expr is not valid PromQL" in result.err, result


def test_a_file_promtool_refuses_is_not_written_and_promtools_words_are_shown(cli, tmp_path):
    fake = tmp_path / "bin" / "promtool"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho \"Checking $3\"\necho \"  FAILED: $3: group \\\"x\\\": field query_offset not found\"\n"
                    "exit 1\n")
    fake.chmod(0o755)
    (tmp_path / "runbooks.yaml").write_text(GROUPED)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    env = {"PATH": f"{fake.parent}:{os.environ['PATH']}"}
    result = cli("export-rules", "--out", "out", cwd=tmp_path, env=env)
    assert result.code == 2, result
    assert "out/prometheus.rules.yaml:1:1: promtool check rules refuses the exported file, so it was not written: " \
           "FAILED: out/prometheus.rules.yaml: group" in result.err
    assert not (tmp_path / "out" / "prometheus.rules.yaml").exists()
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
