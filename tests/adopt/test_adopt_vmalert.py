"""import, lint and export-rules on rules in languages without a grammar here (MetricsQL, LogsQL), and Grafana's.

The inventory has no datasource type for MetricsQL or LogsQL: a stub names none and
says why; lint follows the rule's ruler and reports the runbook's expr as unchecked
(RB022), not as invalid PromQL; export-rules writes vmalert's rules to
vmalert.rules.yaml with vmalert's keys, says they are unchecked, and still checks
the Prometheus file with promtool; Grafana-managed alerts are left out with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from support import REPO, run_cli

VMALERT_RULES = """groups:
  - name: storage
    interval: 30s
    concurrency: 2
    eval_alignment: false
    rules:
      - alert: DiskFillsIn3Days
        expr: |
          WITH (free = sum(vm_free_disk_space_bytes) without(path))
          free / rate(vm_rows_added_to_storage_total[1d]) < 3 * 24 * 3600
        for: 30m
        debug: true
        labels:
          severity: critical
      - alert: NoRecentSamples
        expr: lag(vm_rows_inserted_total[1h]) > 900
        update_entries_limit: 5
        labels:
          severity: warning
  - name: logs
    type: vlogs
    interval: 5m
    rules:
      - alert: ErrorLogs
        expr: 'env: "prod" AND level:error | stats by (service) count() as errors | filter errors:>10'
        labels:
          severity: warning
"""
PROMETHEUS_RULES = """groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: critical
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "vm.yaml").write_text(VMALERT_RULES)
    (tmp_path / "prom.yaml").write_text(PROMETHEUS_RULES)
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: api\ndatasources:\n  - {name: prom, type: prometheus}\n"
        "  - {name: logs, type: loki}\nlint:\n  rules:\n    - {path: vm.yaml, ruler: vmalert}\n"
        "    - {path: prom.yaml, ruler: prometheus}\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: api\nsite_url: https://runbooks.example.com/\n")
    result = run_cli("import", cwd=tmp_path)
    assert result.code == 0, result
    return tmp_path


def entry(root: Path, name: str) -> dict:
    return next(a for a in yaml.safe_load((root / "runbooks.yaml").read_text())["alerts"] if a["name"] == name)


def test_import_names_no_prometheus_or_loki_datasource_for_metricsql_or_logsql(project):
    text = (project / "runbooks.yaml").read_text()
    for name, language in (("DiskFillsIn3Days", "MetricsQL"), ("NoRecentSamples", "MetricsQL"),
                           ("ErrorLogs", "LogsQL")):
        assert "datasource" not in entry(project, name)
        block = text[text.index(f"- name: {name}\n"):]
        block = block[:block.index("\n  - name:")] if "\n  - name:" in block else block
        assert f"# expr is {language}" in block and "unchecked (RB022)" in block, block
        assert "vmalert.rules.yaml" in block


def test_lint_reports_a_runbook_whose_rule_is_metricsql_or_logsql_as_unchecked_not_invalid(project):
    result = run_cli("lint", "--format", "json", cwd=project)
    findings = json.loads(result.out)["findings"]
    on_inventory = [f for f in findings if f["file"] == "runbooks.yaml"]
    assert not [f for f in on_inventory if f["code"] in ("RB008", "RB009")], on_inventory
    unchecked = [f for f in on_inventory if f["code"] == "RB022"]
    assert len(unchecked) == 2, unchecked  # one for MetricsQL (2 runbooks), one for LogsQL
    assert any("2 runbooks" in f["message"] and "MetricsQL" in f["message"] for f in unchecked), unchecked
    assert any("'ErrorLogs'" in f["message"] and "LogsQL" in f["message"] for f in unchecked), unchecked
    assert not [f for f in findings if f["code"] in ("RB008", "RB009")], findings


def test_import_with_rules_the_inventory_does_not_list_says_to_list_them_and_following_it_exports(tmp_path):
    """import --rules on an inventory without lint.rules: export-rules later read vmalert's LogsQL rule as LogQL
    (an error) and the stub's own comment promised vmalert.rules.yaml. import now says to list the rules; doing so
    exports as promised."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "vm.yaml").write_text(VMALERT_RULES)
    (tmp_path / "project").mkdir()
    project = tmp_path / "project"
    (project / "runbooks.yaml").write_text("version: 1\nservice:\n  name: api\nlint:\n  stale_after: 90d\n")
    (project / "mkdocs.yml").write_text("site_name: api\nsite_url: https://runbooks.example.com/\n")
    result = run_cli("import", "--rules", "../rules/vm.yaml", cwd=project)
    assert result.code == 0, result
    hint = [line for line in result.err.splitlines() if line.startswith("lint: rules:")]
    assert hint == [hint[0]] and "add ../rules/vm.yaml there" in hint[0], result.err
    unknown = run_cli("export-rules", "--out", "out", cwd=project)  # the ruler is unknown: read by its look
    assert unknown.code == 2, unknown
    logsql = next(line for line in unknown.err.splitlines() if "'ErrorLogs'" in line)
    assert "not valid LogQL" in logsql and "ruler: vmalert" in logsql, unknown.err

    text = (project / "runbooks.yaml").read_text()
    (project / "runbooks.yaml").write_text(text.replace("lint:\n", "lint:\n  rules:\n    - ../rules/vm.yaml\n", 1))
    again = run_cli("import", "--rules", "../rules/vm.yaml", cwd=project)
    assert again.code == 0 and "lint: rules:" not in again.err, again
    exported = run_cli("export-rules", "--out", "out", cwd=project)
    assert exported.code == 0, exported
    assert "ErrorLogs" in (project / "out" / "vmalert.rules.yaml").read_text()


def test_a_vmalert_file_read_as_prometheus_says_how_to_read_it_as_vmalert_and_following_it_works(tmp_path):
    """A vmalert file without vmalert's own keys is read as Prometheus (as Prometheus would refuse it); a MetricsQL
    function in it is named as such, with the way to lint it as vmalert's. A function neither language has is not."""
    (tmp_path / "vm.yaml").write_text(
        "groups:\n  - name: anomaly\n    rules:\n"
        "      - alert: NoSamples\n        expr: lag(vm_rows_inserted_total[1h]) > 900\n"
        "        labels: {severity: warning}\n"
        "      - alert: Median\n        expr: MEDIAN(up) < 1\n        labels: {severity: warning}\n"
        "      - alert: Typo\n        expr: rat(up[5m]) > 1\n        labels: {severity: warning}\n")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: api\n")
    result = run_cli("lint", "--rules", "vm.yaml", "--format", "json", cwd=tmp_path)
    invalid = {f["alert"]: f["message"] for f in json.loads(result.out)["findings"] if f["code"] == "RB008"}
    assert set(invalid) == {"NoSamples", "Median", "Typo"}, invalid
    for alert, name in (("NoSamples", "lag"), ("Median", "MEDIAN")):
        assert f"{name}() is a MetricsQL function" in invalid[alert], invalid[alert]
        assert "--rules vmalert:vm.yaml" in invalid[alert], invalid[alert]
    assert "MetricsQL" not in invalid["Typo"] and "vmalert" not in invalid["Typo"], invalid["Typo"]

    followed = run_cli("lint", "--rules", "vmalert:vm.yaml", "--format", "json", cwd=tmp_path)
    assert not [f for f in json.loads(followed.out)["findings"] if f["code"] == "RB008"], followed.out
