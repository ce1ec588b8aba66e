"""export-rules keeps each rule in its ruler's file: vmalert rules (with vmalert's keys) in vmalert.rules.yaml,
said to be unchecked; Prometheus rules checked by promtool; Grafana-managed alerts left out with the reason; every
real problem listed at once (exit 2)."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from support import REPO, run_cli
from test_adopt_vmalert import PROMETHEUS_RULES, VMALERT_RULES, project  # noqa: F401 (the fixture)


def test_export_writes_vmalert_rules_with_their_keys_and_says_they_are_unchecked(project):
    result = run_cli("export-rules", "--out", "out", cwd=project)
    assert result.code == 0, result
    assert "1 LogsQL rule and 2 MetricsQL rules exported unchecked" in result.err, result
    vm = yaml.safe_load((project / "out" / "vmalert.rules.yaml").read_text())
    groups = {g["name"]: g for g in vm["groups"]}
    assert groups["storage"]["concurrency"] == 2 and groups["storage"]["eval_alignment"] is False
    assert groups["storage"]["interval"] == "30s"
    assert groups["logs"]["type"] == "vlogs"
    rules = {r["alert"]: r for g in vm["groups"] for r in g["rules"]}
    assert set(rules) == {"DiskFillsIn3Days", "NoRecentSamples", "ErrorLogs"}
    assert rules["DiskFillsIn3Days"]["debug"] is True and rules["NoRecentSamples"]["update_entries_limit"] == 5
    assert rules["DiskFillsIn3Days"]["expr"].startswith("WITH (free")
    prom = yaml.safe_load((project / "out" / "prometheus.rules.yaml").read_text())
    assert [r["alert"] for g in prom["groups"] for r in g["rules"]] == ["ApiDown"]
    if shutil.which("promtool"):
        assert "promtool check rules accepts" in result.err
        check = subprocess.run(["promtool", "check", "rules", str(project / "out" / "prometheus.rules.yaml")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_export_lists_every_real_problem_at_once(project):
    # a ruler that is not named: the MetricsQL is read as PromQL, and Prometheus would refuse both rules
    inventory = (project / "runbooks.yaml").read_text().replace("{path: vm.yaml, ruler: vmalert}", "vm.yaml")
    (project / "runbooks.yaml").write_text(inventory)
    (project / "vm.yaml").write_text(VMALERT_RULES.replace("    concurrency: 2\n", "").replace(
        "    eval_alignment: false\n", "").replace("        debug: true\n", "").replace(
        "        update_entries_limit: 5\n", "").replace("    type: vlogs\n", ""))
    result = run_cli("export-rules", "--out", "out", cwd=project)
    assert result.code == 2, result
    assert "alert 'DiskFillsIn3Days': expr is not valid PromQL" in result.err
    assert "alert 'NoRecentSamples': expr is not valid PromQL" in result.err
    assert "ruler: vmalert" in result.err  # says how to make it MetricsQL
    assert "Traceback" not in result.err
    assert not (project / "out").exists()


def test_export_leaves_grafana_managed_alerts_out_with_the_reason(tmp_path):
    shutil.copy(REPO / "tests" / "rules" / "fixtures" / "formats" / "grafana-provisioning.yaml", tmp_path / "g.yaml")
    (tmp_path / "p.yaml").write_text(PROMETHEUS_RULES)
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: api\nlint:\n  rules: [g.yaml, p.yaml]\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: api\nsite_url: https://runbooks.example.com/\n")
    assert run_cli("import", cwd=tmp_path).code == 0
    result = run_cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result
    for name in ("CheckoutErrorsHigh", "Checkout log errors", "CheckoutBrokenQuery"):
        assert f"left out {name} (runbooks.yaml:" in result.err and "Grafana-managed" in result.err, result
    prom = yaml.safe_load((tmp_path / "out" / "prometheus.rules.yaml").read_text())
    assert [r["alert"] for g in prom["groups"] for r in g["rules"]] == ["ApiDown"]


def test_export_parses_loki_rules_as_logql_before_writing(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: api\nsite_url: https://runbooks.example.com/\n")
    inventory = ("version: 1\nservice:\n  name: api\ndatasources:\n  - {name: logs, type: loki}\nalerts:\n"
                 "  - name: ErrorsLogged\n    severity: warning\n    summary: Errors are logged.\n    datasource: logs\n"
                 "    expr: 'sum(count_over_time({app=\"api\"} |= \"error\" [5m])) > 10'\n"
                 "  - name: BrokenLogQuery\n    severity: warning\n    summary: Broken.\n    datasource: logs\n"
                 "    expr: 'sum(count_over_time({app=\"api\"} |= [5m])) > 10'\n")
    (tmp_path / "runbooks.yaml").write_text(inventory)
    result = run_cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 2, result
    assert "runbooks.yaml:16:11:" in result.err and "alert 'BrokenLogQuery': expr is not valid LogQL" in result.err
    assert "ErrorsLogged" not in result.err and not (tmp_path / "out").exists()
    assert "vmalert" not in result.err  # a Loki datasource was named: no hint that another ruler may read it
    (tmp_path / "runbooks.yaml").write_text(inventory[:inventory.index("  - name: BrokenLogQuery")])
    result = run_cli("export-rules", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result
    loki = yaml.safe_load((tmp_path / "out" / "loki.rules.yaml").read_text())
    assert [r["alert"] for g in loki["groups"] for r in g["rules"]] == ["ErrorsLogged"]
