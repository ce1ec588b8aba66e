"""runbookgen lint --prometheus against a real Prometheus (see prometheus_server.py for its data)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from support import run_cli

RULES = """\
groups:
  - name: app
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels: {severity: critical}
      - alert: TypoMetric
        expr: rate(http_requests_totl{job="api"}[5m]) > 1
        labels: {severity: critical}
      - alert: QueueStuck
        expr: |
          rate(queue_jobs_total{queue="payments"}[5m]) == 0
            and on() vector(1)
        labels: {severity: warning}
      - alert: ExporterGone
        expr: absent(never_exported_metric{job="api"})
        labels: {severity: warning}
"""

INVENTORY = """\
version: 1
service:
  name: Demo
  escalation:
    - name: Demo on-call
datasources:
  - name: prom
    type: prometheus
lint:
  rules: [rules.yaml]
alerts:
  - name: ApiDown
    severity: critical
    summary: The API is down
    queries:
      - title: Errors in the US
        expr: sum(rate(http_requests_total{job="api", region="us"}[5m]))
      - title: Per zone
        expr: count by (zone) (up{zone="z1"})
      - title: Healthy pairs
        expr: http_requests_total{code="200", region="eu"}
      - title: Requests with up
        expr: |
          last_over_time(up[1h])
            * on(job) last_over_time(http_requests_total[1h])
      - title: Dashboard rate
        expr: sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))
  - name: TypoMetric
    severity: critical
    summary: typo
  - name: QueueStuck
    severity: warning
    summary: stuck
  - name: ExporterGone
    severity: warning
    summary: gone
"""


def write_project(root: Path, inventory: str = INVENTORY, rules: str = RULES) -> None:
    (root / "runbooks.yaml").write_text(inventory, encoding="utf-8")
    (root / "rules.yaml").write_text(rules, encoding="utf-8")


def where(root: Path, file: str, text: str, occurrence: int = 1) -> str:
    """file:line:col of the n-th occurrence of ``text`` in a file (1-based), computed from the file itself."""
    content = (root / file).read_text(encoding="utf-8")
    at = -1
    for _ in range(occurrence):
        at = content.index(text, at + 1)
    line = content.count("\n", 0, at) + 1
    return f"{file}:{line}:{at - (content.rfind(chr(10), 0, at) + 1) + 1}"


def live_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if re.search(r" RB0(18|19|20) ", ln)]


def test_findings_point_inside_the_expressions(prometheus, project):
    write_project(project)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    assert result.code == 1, result
    lines = live_lines(result.out)
    expected = [
        f'{where(project, "rules.yaml", "http_requests_totl")}: error RB018 alert \'TypoMetric\': selector '
        f'http_requests_totl{{job="api"}} matched no series in the last 1d: no series of metric '
        f"'http_requests_totl' at all in the last 1d [no-series]",
        f'{where(project, "rules.yaml", "queue_jobs_total")}: warning RB020 alert \'QueueStuck\': selector '
        f'queue_jobs_total{{queue="payments"}} stopped matching: it matched series in the first half of the '
        f"last 1d and none since 12h ago [metric-stopped]",
        f'{where(project, "runbooks.yaml", "http_requests_total{job=")}: error RB018 runbook \'ApiDown\' query '
        f"'Errors in the US': selector http_requests_total{{job=\"api\", region=\"us\"}} matched no series in "
        f"the last 1d: 'region=\"us\"' matches no metric http_requests_total series (region is \"eu\") "
        f"[no-series]",
        f'{where(project, "runbooks.yaml", "up{zone")}: error RB018 runbook \'ApiDown\' query \'Per zone\': '
        f"selector up{{zone=\"z1\"}} matched no series in the last 1d: 'zone=\"z1\"' matches nothing: no "
        f"metric up series has a label 'zone' [no-series]",
        f'{where(project, "runbooks.yaml", "http_requests_total{code")}: error RB018 runbook \'ApiDown\' query '
        f"'Healthy pairs': selector http_requests_total{{code=\"200\", region=\"eu\"}} matched no series in the "
        f"last 1d: each matcher matches metric http_requests_total series, but not together; without "
        f"'code=\"200\"' or 'region=\"eu\"' it would match [no-series]",
    ]
    for line in expected:
        assert line in lines, f"{line}\nnot in:\n" + "\n".join(lines)
    fails = [ln for ln in lines if " RB019 " in ln]
    assert len(fails) == 1, lines
    assert fails[0].startswith(where(project, "runbooks.yaml", "|\n          last_over_time(up") + ": error RB019 "
                               "runbook 'ApiDown' query 'Requests with up' fails on the server: execution: found "
                               "duplicate series for the match group"), fails
    assert len(lines) == len(expected) + 1, "\n".join(lines)  # absent(), dashboard variables, live series: silent


def test_second_line_of_a_literal_block_is_pointed_at(prometheus, project):
    rules = RULES.replace("and on() vector(1)", "and on() missing_metric_b")
    write_project(project, rules=rules)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    found = [ln for ln in live_lines(result.out) if "missing_metric_b" in ln]
    assert found and found[0].startswith(where(project, "rules.yaml", "missing_metric_b") + ": error RB018"), result


def test_json_report_carries_the_live_result_of_each_query(prometheus, project):
    write_project(project)
    result = run_cli("lint", "--prometheus", prometheus.url, "--format", "json", cwd=project)
    assert result.code == 1, result
    live = json.loads(result.out)["live"]
    assert live["server"] == prometheus.url and live["lookback"] == "1d"
    by_index = {q["query"]: q for q in live["queries"] if q["alert"] == "ApiDown"}
    assert [by_index[i]["no_data"] for i in range(5)] == [True, True, True, False, False]
    assert "found duplicate series" in by_index[3]["error"]
    assert by_index[4]["error"] == "" and by_index[0]["error"] == ""


def test_no_server_no_live_checks_and_no_live_section(prometheus, project):
    write_project(project)
    result = run_cli("lint", "--format", "json", cwd=project)
    data = json.loads(result.out)
    assert "live" not in data
    assert not [f for f in data["findings"] if f["code"] in ("RB018", "RB019", "RB020")]


def test_server_named_in_the_inventory(prometheus, project):
    inventory = INVENTORY.replace("  rules: [rules.yaml]\n", f"  rules: [rules.yaml]\n  prometheus:\n"
                                                             f"    url: {prometheus.url}\n    lookback: 2d\n")
    write_project(project, inventory)
    result = run_cli("lint", cwd=project)
    assert result.code == 1, result
    assert any("http_requests_totl" in ln and "in the last 2d" in ln for ln in live_lines(result.out)), result


def test_levels_and_waivers_apply_to_live_checks(prometheus, project):
    inventory = INVENTORY.replace("  rules: [rules.yaml]\n", textwrap.indent(textwrap.dedent("""\
        rules: [rules.yaml]
        checks: {no-series: warning, query-fails: 'off'}
        waivers:
          - {alert: QueueStuck, check: metric-stopped, reason: being migrated, expires: 2099-01-01}
        """), "  "))
    write_project(project, inventory)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    lines = live_lines(result.out)
    assert lines and all(" warning RB018 " in ln for ln in lines), lines  # RB019 off, RB020 waived
    assert ", 1 waived" in result.out, result


def test_recorded_metrics_and_alert_series(prometheus, project):
    rules = RULES + """\
      - record: job:requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
      - alert: JobQuiet
        expr: job:requests:rate5m{job="api"} < 1 unless on() ALERTS{alertname="ApiDown"}
        labels: {severity: warning}
"""
    write_project(project, rules=rules)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    lines = [ln for ln in live_lines(result.out) if "JobQuiet" in ln]
    record = where(project, "rules.yaml", "- record:")
    record = record.rsplit(":", 1)[0] + f":{int(record.rsplit(':', 1)[1]) + 2}"  # the record: key after "- "
    assert lines == [f'{where(project, "rules.yaml", "job:requests:rate5m{")}: error RB018 alert \'JobQuiet\': '
                     f'selector job:requests:rate5m{{job="api"}} matched no series in the last 1d: no series of '
                     f"metric 'job:requests:rate5m' at all in the last 1d; it is recorded by the rule at {record}; "
                     f"is that rule loaded on this server? [no-series]"], result  # ALERTS{...}: not asked


def test_hostile_matcher_values_reach_the_server_intact(prometheus, project):
    inventory = INVENTORY.replace('''      - title: Per zone
        expr: count by (zone) (up{zone="z1"})''', '''      - title: Odd values
        expr: 'up{job="a\\\\\\"b\\\\n c 🙂", instance=~"x}{\\\\d+"}' ''')
    assert "Odd values" in inventory
    write_project(project, inventory)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    odd = [ln for ln in live_lines(result.out) if "'Odd values'" in ln]
    # looked up (not refused by the server as a malformed selector), and the killing matchers named
    assert len(odd) == 1 and " RB018 " in odd[0], result
    assert "matches no metric up series" in odd[0] and "could not be looked up" not in odd[0], odd


def test_only_the_queries_of_the_named_datasources_are_asked(prometheus, project):
    inventory = INVENTORY.replace("""  - name: prom
    type: prometheus
""", """  - name: prom
    type: prometheus
  - name: prom-us
    type: prometheus
""").replace("""      - title: Errors in the US
        expr:""", """      - title: Errors in the US
        datasource: prom-us
        expr:""").replace("  rules: [rules.yaml]\n", "  rules: [rules.yaml]\n  prometheus:\n    datasources: [prom]\n")
    write_project(project, inventory)
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    lines = live_lines(result.out)
    assert not [ln for ln in lines if "Errors in the US" in ln], lines
    assert [ln for ln in lines if "'Per zone'" in ln] and [ln for ln in lines if "TypoMetric" in ln], lines
    write_project(project, inventory.replace("datasources: [prom]", "datasources: [prom, prom-eu]"))
    result = run_cli("lint", "--prometheus", prometheus.url, cwd=project)
    assert result.code == 2 and "lint.prometheus.datasources: no datasource is named 'prom-eu'" in result.err, result
