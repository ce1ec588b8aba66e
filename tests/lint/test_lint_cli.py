"""`runbookgen lint` as a user runs it: exit codes, exact output, formats, files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lint_helpers import REPO, write

ENV = {"SOURCE_DATE_EPOCH": "1780272000"}  # 2026-06-01: findings that depend on today are reproducible

INVENTORY = """\
version: 1
service:
  name: Demo
  escalation: [{name: Demo on-call}]
lint:
  rules: [rules/]
alerts:
  - name: AppDown
    severity: critical
    summary: The app is down
    investigation: [Open the dashboard]
    mitigation: {immediate: [Roll back]}
    last_reviewed: 2026-05-01
"""
RULES = """\
groups:
  - name: app
    rules:
      - alert: AppDown
        expr: up{job="app"} == 0
        labels: {severity: critical}
        annotations:
          runbook_url: https://rb.example.com/alerts/appdown.html
"""
MKDOCS = "site_name: Demo\nsite_url: https://rb.example.com/\nuse_directory_urls: false\n"


@pytest.fixture
def demo(tmp_path) -> Path:
    write(tmp_path / "runbooks.yaml", INVENTORY)
    write(tmp_path / "rules/app.yaml", RULES)
    write(tmp_path / "mkdocs.yml", MKDOCS)
    return tmp_path


def test_clean_project_exits_0_with_a_summary(cli, demo):
    result = cli("lint", cwd=demo, env=ENV)
    assert result.code == 0, result
    assert result.out == ("1 alert in 1 rule file (1 alerting rule, 0 recording rules); 1 with a runbook, 0 exempt; "
                          "coverage 100.0% (1 of 1); 0 errors, 0 warnings, 0 info\n")


def test_findings_exit_1_with_exact_positions(cli, demo):
    write(demo / "rules/more.yaml", """\
        groups:
          - name: more
            rules:
              - alert: DiskFull
                expr: node_filesystem_avail_bytes == 0
                labels: {severity: warning}
                annotations: {runbook_url: https://rb.example.com/alerts/diskfull.html}
              - alert: Broken
                expr: rate(x)
                labels: {severity: critical}
                annotations: {runbook_url: https://rb.example.com/alerts/broken.html}
        """)
    result = cli("lint", cwd=demo, env=ENV)
    assert result.code == 1, result
    assert result.out.splitlines()[:3] == [
        "rules/more.yaml:4:9: warning RB001 alert 'DiskFull' has no runbook in runbooks.yaml [missing-runbook]",
        "rules/more.yaml:8:9: error RB001 alert 'Broken' has no runbook in runbooks.yaml [missing-runbook]",
        "rules/more.yaml:9:20: error RB008 alert 'Broken': invalid PromQL: expected type range vector in call to "
        "function 'rate', got instant vector [invalid-promql]",
    ]
    assert result.out.splitlines()[-1].endswith("2 errors, 1 warning, 0 info")
    assert cli("lint", "--fail-level", "never", cwd=demo, env=ENV).code == 0


def test_warnings_fail_only_when_asked(cli, demo):
    write(demo / "runbooks.yaml", INVENTORY.replace("    last_reviewed: 2026-05-01\n", ""))
    assert cli("lint", cwd=demo, env=ENV).code == 0
    strict = cli("lint", "--fail-level", "warning", cwd=demo, env=ENV)
    assert strict.code == 1
    assert strict.out.startswith("runbooks.yaml:8:5: warning RB013 runbook 'AppDown' has never been reviewed")


def test_explicit_rules_and_machine_formats_to_a_file(cli, demo):
    write(demo / "other/extra.yaml", RULES.replace("AppDown", "Extra"))
    (demo / "out").mkdir()
    result = cli("lint", "--rules", "other/*.yaml", "--format", "sarif", "--output", "out/lint.sarif", cwd=demo,
                 env=ENV)
    assert result.code == 1 and result.out == ""
    assert "report written to out/lint.sarif" in result.err
    log = json.loads((demo / "out/lint.sarif").read_text())
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"RB001", "RB002", "RB005"}
    data = json.loads(cli("lint", "-r", "other/extra.yaml", "-F", "json", cwd=demo, env=ENV).out)
    assert [(f["code"], f["file"], f["line"]) for f in data["findings"]] == [
        ("RB001", "other/extra.yaml", 4), ("RB005", "other/extra.yaml", 8), ("RB002", "runbooks.yaml", 8)]


def test_input_errors_exit_2_with_positions(cli, demo):
    missing = cli("lint", "--rules", "nope.yaml", cwd=demo, env=ENV)
    assert (missing.code, missing.out) == (2, "")
    assert missing.err == "nope.yaml:1:1: no such file or folder: 'nope.yaml'\n1 problem found\n"
    write(demo / "values.yaml", "replicaCount: 1\n")
    not_rules = cli("lint", "-r", "values.yaml", cwd=demo, env=ENV)
    assert not_rules.code == 2 and "values.yaml:1:1: not a rule file" in not_rules.err
    unwritable = cli("lint", "-o", "no/such/folder/out.json", cwd=demo, env=ENV)
    assert unwritable.code == 2
    assert unwritable.err.startswith("no/such/folder/out.json:1:1: cannot write the report: No such file")
    write(demo / "runbooks.yaml", INVENTORY.replace("lint:\n", "lint:\n  checks: {missing-runbok: warning}\n"))
    bad_config = cli("lint", cwd=demo, env=ENV)
    assert bad_config.code == 2
    assert "lint.checks: unknown check 'missing-runbok' (did you mean 'missing-runbook'?)" in bad_config.err
    assert "Traceback" not in missing.err + not_rules.err + bad_config.err + unwritable.err


def test_no_rule_paths_anywhere_is_an_input_error(cli, demo):
    write(demo / "runbooks.yaml", INVENTORY.replace("lint:\n  rules: [rules/]\n", ""))
    result = cli("lint", cwd=demo, env=ENV)
    assert result.code == 2
    assert "no rule files to check: pass --rules, or list them under lint: rules: in the inventory" in result.err


def test_help_list_and_explain(cli):
    help_text = cli("lint", "--help").out
    assert "--rules PATH_OR_GLOB" in help_text and "runbookgen lint --format sarif --output lint.sarif" in help_text
    listing = cli("lint", "--list-checks").out.splitlines()
    from runbookgen.checks.registry import CHECKS

    assert listing[0].split()[:3] == ["RB001", "missing-runbook", "error"] and len(listing) == len(CHECKS) == 22
    page = cli("lint", "--explain", "stale-review")
    assert page.code == 0 and page.out.startswith("# RB013 stale-review")
    unknown = cli("lint", "--explain", "RB999")
    assert unknown.code == 2 and "no check 'RB999'" in unknown.err


@pytest.mark.skipif(not (REPO / "runbooks.yaml").is_file(), reason="the repository's example service is absent")
def test_the_example_service_lints_clean(cli, tmp_path):
    """Dogfooding: the repository's own runbooks.yaml, mkdocs.yml and rules/ pass with no flags."""
    for name in ("runbooks.yaml", "mkdocs.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    result = cli("lint", cwd=tmp_path)
    assert result.code == 0, result
    assert "coverage 100.0%" in result.out
