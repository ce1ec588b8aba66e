"""Every rule-file shape and every ruler, through `runbookgen lint --format json` as a user runs it.

The fixtures in fixtures/formats are written as each tool writes its files (Grafana's export, the ruler
API, grafanactl's AlertRule resources, the Loki and VictoriaMetrics operators, vmalert's *.rules).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lint_helpers import write

FORMATS = Path(__file__).parent / "fixtures" / "formats"
INVENTORY = "version: 1\nservice:\n  name: Demo\n  escalation: [{name: Demo on-call}]\n"


@pytest.fixture
def here(tmp_path) -> Path:
    shutil.copytree(FORMATS, tmp_path / "rules")
    write(tmp_path / "runbooks.yaml", INVENTORY)
    return tmp_path


def lint_json(cli, here: Path, *rules: str, inventory: str | None = None):
    if inventory is not None:
        write(here / "runbooks.yaml", INVENTORY + inventory)
    args = [a for r in rules for a in ("--rules", r)]
    result = cli("lint", *args, "--format", "json", cwd=here)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.out)


def by_code(report: dict, *codes: str) -> list[tuple[str, int, str]]:
    return [(f["file"], f["line"], f["alert"]) for f in report["findings"] if f["code"] in codes]


def test_grafana_provisioning_export(cli, here):
    code, report = lint_json(cli, here, "rules/grafana-provisioning.yaml")
    summary = report["summary"]
    assert (summary["alerting_rules"], summary["alerts"]) == (3, 3)
    missing = {f["alert"]: f["line"] for f in report["findings"] if f["code"] == "RB001"}
    assert missing == {"CheckoutErrorsHigh": 10, "Checkout log errors": 49, "CheckoutBrokenQuery": 67}  # title:
    # the Prometheus query is PromQL ($__rate_interval filled in as Grafana does), the Loki query LogQL;
    # only the broken one is reported, at its expr
    assert by_code(report, "RB008", "RB009") == [("rules/grafana-provisioning.yaml", 74, "CheckoutBrokenQuery")]
    assert by_code(report, "RB015", "RB022") == []
    assert code == 1


def test_grafana_ruler_api_and_alertrule_resources(cli, here):
    _, report = lint_json(cli, here, "rules/grafana-ruler-api.yaml", "rules/grafana-alertrule.yaml")
    assert (report["summary"]["alerting_rules"], report["summary"]["recording_rules"]) == (2, 1)
    assert sorted(by_code(report, "RB001")) == [("rules/grafana-alertrule.yaml", 8, "QueueBacklogGrowing"),
                                                ("rules/grafana-ruler-api.yaml", 12, "DiskAlmostFull")]
    assert by_code(report, "RB006", "RB008", "RB015") == []  # labels beside grafana_alert are read


def test_loki_operator_resources_are_logql(cli, here):
    _, report = lint_json(cli, here, "rules/loki-operator.yaml")
    assert (report["summary"]["alerting_rules"], report["summary"]["recording_rules"]) == (2, 1)
    logql = [f for f in report["findings"] if f["code"] == "RB009"]
    assert [(f["line"], f["column"], f["alert"]) for f in logql] == [(21, 81, "CheckoutBadFilter")]  # at the \w
    assert by_code(report, "RB008", "RB015") == []


def test_vmalert_rules_files_in_a_folder_and_vmrule(cli, here):
    """*.rules files are read from folders; vmalert's keys are no error; MetricsQL and LogsQL are not checked
    as PromQL or LogQL, and the report says so once per group."""
    _, report = lint_json(cli, here, "rules/vmalert", "rules/vmrule.yaml")
    assert report["summary"]["rule_files"] == ["rules/vmalert/app.rules", "rules/vmrule.yaml"]
    assert by_code(report, "RB008", "RB009", "RB015") == []
    unchecked = [(f["line"], f["level"], f["message"]) for f in report["findings"] if f["code"] == "RB022"]
    assert [(line, level) for line, level, _ in unchecked] == [(8, "info"), (17, "info"), (14, "info")]
    assert "group 'app-logs' (vmalert ruler) is written in LogsQL (VictoriaLogs, type: vlogs)" in unchecked[1][2]
    assert "not as PromQL, not as LogQL" in unchecked[1][2]
    assert "MetricsQL" in unchecked[0][2] and "MetricsQL" in unchecked[2][2]


THANOS = """\
groups:
  - name: app
    partial_response_strategy: warn
    rules:
      - alert: AppDown
        expr: up == 0
        labels: {severity: critical}
"""


@pytest.mark.parametrize("ruler, unknown_key", [
    ("", False),  # no ruler: any key some Prometheus-compatible ruler accepts
    ("thanos:", False),
    ("prometheus:", True),  # Prometheus refuses partial_response_strategy
    ("vmalert:", True),
])
def test_the_named_ruler_decides_the_keys(cli, here, ruler, unknown_key):
    write(here / "thanos.yaml", THANOS)
    _, report = lint_json(cli, here, f"{ruler}thanos.yaml")
    found = [f["message"] for f in report["findings"] if f["code"] == "RB015"]
    assert found == ([f"unknown key 'partial_response_strategy' in rule group (for the {ruler[:-1]} ruler)"]
                     if unknown_key else [])


PROMQL_IN_LOKI_FOLDER = """\
groups:
  - name: promql
    rules:
      - alert: LokiRequestErrors
        expr: sum(rate(loki_request_duration_seconds_count{status_code=~"5.."}[2m])) by (job) > 10
        labels: {severity: critical}
"""


def test_a_folder_named_loki_does_not_make_promql_logql(cli, here):
    """Valid PromQL that is not LogQL (the Loki mixin's own alerts) stays PromQL in a loki folder: it was
    reported as invalid LogQL before. Naming the ruler still makes it LogQL, and then it is invalid."""
    write(here / "mixin" / "loki" / "alerts.yaml", PROMQL_IN_LOKI_FOLDER)
    _, report = lint_json(cli, here, "mixin/loki/alerts.yaml")
    assert by_code(report, "RB008", "RB009") == []
    _, report = lint_json(cli, here, "loki:mixin/loki/alerts.yaml")
    assert by_code(report, "RB009") == [("mixin/loki/alerts.yaml", 5, "LokiRequestErrors")]


def test_inventory_entries_name_their_ruler(cli, here):
    """lint.rules entries: a plain path, a ruler:path string, or {path, ruler}."""
    write(here / "vm" / "app.yml", "groups:\n  - name: g\n    rules:\n      - alert: Lagging\n"
                                   "        expr: lag(x[1h]) > 5m\n        labels: {severity: warning}\n")
    write(here / "loki-rules" / "app.yml", PROMQL_IN_LOKI_FOLDER)
    _, report = lint_json(cli, here, inventory="lint:\n  rules:\n    - rules/grafana-ruler-api.yaml\n"
                                               "    - {path: vm/, ruler: vmalert}\n    - loki:loki-rules/\n")
    assert report["summary"]["rule_files"] == ["rules/grafana-ruler-api.yaml", "vm/app.yml", "loki-rules/app.yml"]
    assert by_code(report, "RB008") == []  # lag() is MetricsQL, read as vmalert's
    assert by_code(report, "RB009") == [("loki-rules/app.yml", 5, "LokiRequestErrors")]  # named: LogQL
    assert [f["line"] for f in report["findings"] if f["code"] == "RB022"] == [5]


def test_an_unknown_ruler_in_the_inventory_is_an_input_error(cli, here):
    write(here / "runbooks.yaml", INVENTORY + "lint:\n  rules:\n    - {path: rules/, ruler: lokki}\n")
    result = cli("lint", cwd=here)
    assert result.code == 2 and "runbooks.yaml:7:" in result.err and "lokki" in result.err, result


@pytest.mark.parametrize("ruler", ["", "prometheus:", "loki:", "vmalert:", "thanos:", "mimir:", "cortex:",
                                   "grafana:"])
def test_any_ruler_on_any_shape_reads_without_raising(ruler, tmp_path, monkeypatch):
    """Naming the wrong ruler gives findings about the file, never an exception (grafana: raised KeyError)."""
    from runbookgen.rules import read_rules

    shutil.copytree(FORMATS, tmp_path / "rules")
    write(tmp_path / "rules" / "thanos.yaml", THANOS)
    monkeypatch.chdir(tmp_path)
    for path in sorted((tmp_path / "rules").rglob("*.*")):
        ruleset = read_rules([f"{ruler}{path.relative_to(tmp_path)}"])
        assert ruleset.problems == () and ruleset.rules, path
        assert all(r.ruler in ("prometheus", "loki", "vmalert", "thanos", "mimir", "grafana") for r in ruleset.rules)
