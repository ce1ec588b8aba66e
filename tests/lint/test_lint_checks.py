"""One test (or a few) per check, on small inline projects."""

from __future__ import annotations

import datetime as dt

from lint_helpers import TODAY, alert_rule, group, lint_paths

COMPLETE = """\
    investigation: [Look at the dashboard]
    mitigation: {immediate: [Roll back]}
    last_reviewed: 2026-05-01
"""



def entry(name: str, severity: str = "critical", extra: str = COMPLETE) -> str:
    return f"  - name: {name}\n    severity: {severity}\n    summary: {name} fired\n" + extra


def test_missing_runbook_level_follows_severity_and_variants_count_once(project):
    project.inventory("alerts:\n" + entry("Known"))
    project.rules(group(alert_rule("Known"), alert_rule("Paging"), alert_rule("Quiet", "warning"),
                        alert_rule("Twice", "warning"), alert_rule("Twice", "critical"),
                        alert_rule("Watchdog", "none")))
    found = project.findings("rules", code="RB001")
    assert [(f.alert, f.level, f.pos.line) for f in found] == [
        ("Paging", "error", 8), ("Quiet", "warning", 12), ("Twice", "error", 16), ("Watchdog", "error", 24)]
    assert found[2].message == "alert 'Twice' has no runbook in runbooks.yaml (2 rules; also line 20)"
    assert str(found[0].pos) == "rules/app.yaml:8:9"  # the rule's alert: key
    # 'none' is not exempt here (no exempt_severities), and unknown, so it counts as paging


def test_exempt_severities_silence_missing_runbook(project):
    project.inventory("lint:\n  exempt_severities: [none]\nalerts: []\n")
    project.rules(group(alert_rule("Watchdog", "none"), alert_rule("InfoInhibitor", "none")))
    result = project.lint("rules")
    assert [f.code for f in result.findings if f.code in ("RB001", "RB006")] == []
    assert (result.coverage.exempt, result.coverage.required, result.coverage.percent) == (2, 0, 100.0)


def test_orphan_runbook_with_hint_and_deprecated_left_alone(project):
    project.inventory("alerts:\n" + entry("CheckoutDwn") + entry("Retired", extra="    status: deprecated\n"))
    project.rules(group(alert_rule("CheckoutDown")))
    found = project.findings("rules", code="RB002")
    assert [(str(f.pos), f.message) for f in found] == [
        ("runbooks.yaml:7:5", "runbook 'CheckoutDwn' matches no alerting rule in the 1 rule file read "
                              "(did you mean 'CheckoutDown'?)")]


def test_runbook_url_missing_malformed_and_mismatch(project):
    project.root.joinpath("mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://rb.example.com/svc\nuse_directory_urls: false\n")
    project.inventory("alerts:\n" + "".join(entry(n) for n in ("A", "B", "C", "D", "E", "F")))
    project.rules(group(
        alert_rule("A"),
        alert_rule("B", url="runbooks/b"),
        alert_rule("C", url="https://wiki.example.com/C"),
        alert_rule("D", url="https://RB.example.com/svc/alerts/d.html"),
        alert_rule("E", url="https://rb.example.com/svc/alerts/e.html/"),
        alert_rule("F", url='"https://rb.example.com/{{ $labels.alertname }}"')))
    found = [(f.code, f.alert, f.pos.line, f.message) for f in project.lint("rules").findings]
    assert found == [
        ("RB003", "A", 4, "alert 'A' has no runbook_url annotation; add runbook_url: "
                          "https://rb.example.com/svc/alerts/a.html"),
        ("RB004", "B", 13, "runbook_url of alert 'B' is not an absolute http(s) URL: 'runbooks/b'"),
        ("RB005", "C", 19, "runbook_url of alert 'C' is https://wiki.example.com/C, not its runbook page "
                           "https://rb.example.com/svc/alerts/c.html"),
    ]


def test_runbook_url_pattern_from_inventory_and_directory_urls(project):
    project.root.joinpath("mkdocs.yml").write_text("site_name: x\nsite_url: https://rb.example.com/\n")
    project.inventory("lint:\n  runbook_url: '{site_url}{path}'\nalerts:\n" + entry("A") + entry("B"))
    project.rules(group(alert_rule("A", url="https://rb.example.com/alerts/a/"),
                        alert_rule("B", url="https://rb.example.com/alerts/b.html")))
    project.root.joinpath("mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://rb.example.com/\nuse_directory_urls: true\n")
    assert [f.alert for f in project.findings("rules", code="RB005")] == ["B"]


def test_no_site_url_means_presence_only_and_a_note(project):
    project.inventory("alerts:\n" + entry("A"))
    project.rules(group(alert_rule("A", url="https://anything.example.com/a")))
    result = project.lint("rules")
    assert [f.code for f in result.findings] == []
    assert result.notes == ("runbook_url targets were not compared: set site_url in mkdocs.yml or "
                            "lint.runbook_url in the inventory",)


def test_unknown_severity_missing_label_and_typo(project):
    project.inventory("alerts:\n" + entry("A") + entry("B"))
    project.rules(group(alert_rule("A", "critcal"),
                        "      - alert: B\n        expr: up == 0\n"))
    found = [(str(f.pos), f.message) for f in project.findings("rules", code="RB006")]
    assert found == [
        ("rules/app.yaml:7:21", "severity 'critcal' (of alert 'A') is not a severity of the inventory "
                                "(did you mean 'critical'?); to map it, add it to a severity's labels, for example "
                                "severities: - {id: critcal, labels: [critcal]}"),
        ("rules/app.yaml:8:9", "alert 'B' has no severity label (known values: critical, info, page, warning)"),
    ]


def test_unknown_severity_is_reported_once_per_value_with_a_mapping(project):
    """GitLab's s1-s4: one finding per value (at its first rule), ranked onto the inventory's severities."""
    project.inventory("alerts:\n" + entry("A"))
    project.rules(group(*(alert_rule(f"A{n}", f"s{n % 4 + 1}") for n in range(12)), alert_rule("B", "urgent")))
    found = project.findings("rules", code="RB006")
    assert [(f.pos.line, f.alert) for f in found] == [(7, ""), (11, ""), (15, ""), (19, ""), (55, "B")]
    by_value = {f.message.split("'")[1]: f.message for f in found}
    assert by_value["s1"].startswith("severity 's1' (used by 3 alerting rules in 1 file, first here) is not a "
                                     "severity of the inventory (known values: critical, info, page, warning)")
    assert by_value["s1"].endswith("severities: - {id: critical, labels: [critical, page, s1]}")
    assert by_value["s2"].endswith("severities: - {id: warning, labels: [warning, s2]}")
    assert by_value["s4"].endswith("severities: - {id: info, labels: [info, s4]}")  # more values than severities
    assert by_value["urgent"].endswith("severities: - {id: urgent, labels: [urgent]}")
    project.inventory("severities:\n  - {id: critical, pages: true, labels: [s1, s2]}\n  - {id: warning, labels: "
                      "[s3]}\n  - {id: info, labels: [s4, urgent]}\nalerts:\n" + entry("A"))
    assert project.findings("rules", code="RB006") == []  # the inventory's severities' labels map them


def test_severity_mismatch_single_rule_and_variants(project):
    project.inventory("alerts:\n" + entry("Single", "warning") + entry("Variants", "critical")
                      + entry("WrongVariants", "info", extra=""))
    project.rules(group(alert_rule("Single", "page"),
                        alert_rule("Variants", "warning"), alert_rule("Variants", "critical"),
                        alert_rule("WrongVariants", "warning"), alert_rule("WrongVariants", "critical")))
    found = [f.message for f in project.findings("rules", code="RB007")]
    assert found == [
        "alert 'Single' has severity='page' (severity 'critical'), but its runbook (runbooks.yaml:7) says 'warning'",
        "none of the 2 rules of alert 'WrongVariants' (severities critical, warning) has the severity its "
        "runbook (runbooks.yaml:19) gives, 'info'",
    ]


def test_invalid_promql_in_rules_and_runbook_queries(project):
    project.inventory("""\
        alerts:
          - name: A
            severity: warning
            summary: s
            expr: rate(x) > 1
            queries:
              - title: ok with Grafana interval
                expr: rate(x[$__rate_interval])
              - title: broken
                expr: sum(rate(x[5m])
              - title: dashboard variable
                expr: up{namespace="$ns"} == $threshold
        """)
    project.rules(group(alert_rule("A", "warning", expr="'sum(rate(x[5m])) by (job) > bogus(1)'"),
                        "      - record: job:x:rate5m\n        expr: rate(x[5m]\n"))
    found = [(str(f.pos), f.message) for f in project.findings("rules", code="RB008")]
    assert found == [  # the place inside the expression, in rule files and in the inventory alike
        ("rules/app.yaml:5:44", "alert 'A': invalid PromQL: unknown function with name 'bogus'"),
        ("rules/app.yaml:9:25", "record 'job:x:rate5m': invalid PromQL: unclosed left parenthesis"),
        ("runbooks.yaml:10:16", "runbook 'A': expr is not valid PromQL: expected type range vector in call to "
                                "function 'rate', got instant vector"),
        ("runbooks.yaml:15:30", "runbook 'A': query 'broken' is not valid PromQL: unclosed left parenthesis"),
        ("runbooks.yaml:17:38", "runbook 'A': query 'dashboard variable' is not valid PromQL: unexpected character: "
                                "'$' (it uses the template variables $ns, $threshold, which nothing fills in "
                                "outside a dashboard)"),
    ]


def test_invalid_logql_points_inside_the_expression(project):
    project.inventory("alerts:\n" + entry("Panics", "warning") + entry("Errors", "warning"))
    project.rules("""\
        groups:
          - name: logs
            rules:
              - alert: Panics
                expr: |
                  sum(count_over_time({app="api"} |~ "panic: \\w+" [5m])) > 0
                labels: {severity: warning}
              - alert: Errors
                expr: '{app="api"} |= "error"'
                labels: {severity: warning}
        """, name="rules/loki/app.yaml")
    found = [(str(f.pos), f.message) for f in project.findings("rules", code="RB009")]
    assert found[0][0] == "rules/loki/app.yaml:6:54"  # the backslash itself
    assert "invalid escape sequence \\w" in found[0][1]
    assert found[1] == ("rules/loki/app.yaml:9:16", "alert 'Errors': invalid LogQL: a log query cannot be a rule's "
                        "expression; Loki rules need a metric query such as sum(count_over_time({...}[5m]))")


def test_invalid_logql_in_runbook_queries(project):
    project.inventory("""\
        datasources:
          - {name: logs, type: loki, uid: l1}
        alerts:
          - name: A
            severity: warning
            summary: s
            queries:
              - {title: fine, datasource: logs, expr: '{app="api"} |= "error"'}
              - {title: bad, datasource: logs, expr: 'sum_over_time({app="api"}[$__auto])'}
        """)
    project.rules(group(alert_rule("A", "warning")))
    found = [f.message for f in project.findings("rules", code="RB009")]
    assert found == ["runbook 'A': query 'bad' is not valid LogQL: sum_over_time needs a sample value: add | unwrap "
                     "<label> before the range"]


def test_expression_drift_ignores_formatting_and_accepts_any_variant(project):
    project.inventory("alerts:\n"
                      + entry("Same", extra="    expr: 'sum by (job) (rate(x{b=\"1\",a=\"2\"}[5m])) > 1'\n")
                      + entry("Variant", extra="    expr: up < 2\n")
                      + entry("Drifted", extra="    expr: up == 1\n"))
    project.rules(group(alert_rule("Same", expr="'sum(rate(x{a=\"2\", b=\"1\"}[5m])) by (job) > 1'"),
                        alert_rule("Variant", expr="up < 1"), alert_rule("Variant", expr="up < 2"),
                        alert_rule("Drifted", expr="up == 0")))
    found = [(f.alert, str(f.pos)) for f in project.findings("rules", code="RB010")]
    assert found == [("Drifted", "runbooks.yaml:18:11")]


def test_duplicate_runbook_is_a_finding_not_a_load_error(project):
    project.inventory("alerts:\n" + entry("A") + entry("A", "warning"))
    project.rules(group(alert_rule("A")))
    found = project.findings("rules", code="RB011")
    assert [(str(f.pos), f.message) for f in found] == [
        ("runbooks.yaml:13:5", "runbook 'A' is defined again (first at runbooks.yaml:7:5); one alert name needs "
                               "one runbook")]


def test_incomplete_runbook_for_paging_severities_only(project):
    project.inventory("alerts:\n" + entry("Paging", extra="    last_reviewed: 2026-05-01\n")
                      + entry("Quiet", "warning", extra="    last_reviewed: 2026-05-01\n"),
                      head="version: 1\nservice:\n  name: Demo\n")
    project.rules(group(alert_rule("Paging"), alert_rule("Quiet", "warning")))
    found = [f.message for f in project.findings("rules", code="RB012")]
    assert found == ["runbook 'Paging' is for a paging severity (critical) but has no investigation steps, "
                     "no mitigation, no escalation path"]


def test_stale_review_window_and_never_reviewed(project):
    project.inventory("lint:\n  stale_after: 30d\nalerts:\n"
                      + entry("Fresh", "warning", extra="    last_reviewed: 2026-05-10\n")
                      + entry("Old", "warning", extra="    last_reviewed: 2026-01-02\n")
                      + entry("Never", "warning", extra="")
                      + entry("Stub", "warning", extra="    status: draft\n"))
    project.rules(group(*(alert_rule(n, "warning") for n in ("Fresh", "Old", "Never", "Stub"))))
    found = [f.message for f in project.findings("rules", code="RB013")]
    assert found == ["runbook 'Old' was last reviewed on 2026-01-02, 150 days ago (limit: 30d)",
                     "runbook 'Never' has never been reviewed (no last_reviewed date)"]


def test_draft_runbook(project):
    project.inventory("alerts:\n" + entry("Stub", extra="    status: draft\n"))
    project.rules(group(alert_rule("Stub")))
    found = project.findings("rules", code="RB014")
    assert [(str(f.pos), f.level) for f in found] == [("runbooks.yaml:10:13", "warning")]
    assert project.findings("rules", code="RB012") == []  # drafts are not also "incomplete"


def test_invalid_rule_reports_structure_problems(project):
    project.inventory("alerts:\n" + entry("A"))
    project.rules("""\
        groups:
          - name: app
            rules:
              - alert: A
                expr: up == 0
                for: 5 minutes
                annotation: {summary: x}
                labels: {severity: critical}
              - record: job:up
                expr: sum(up)
                for: 5m
              - alert: NoExpr
          - name: app
            rules: []
        """)
    found = [(str(f.pos), f.message) for f in project.findings("rules", code="RB015")]
    assert found == [
        ("rules/app.yaml:6:14", "for: '5 minutes' is not a duration such as 30s, 5m or 1h30m"),
        ("rules/app.yaml:7:9", "unknown key 'annotation' in rule 'A' (did you mean 'annotations'?)"),
        ("rules/app.yaml:11:9", "recording rule 'job:up' cannot have for:"),
        ("rules/app.yaml:12:9", "rule 'NoExpr' has no expr:"),
        ("rules/app.yaml:13:11", "group name 'app' is repeated in this file (first at line 2)"),
    ]


def test_waivers_active_expired_and_unused(project):
    project.inventory("""\
        lint:
          waivers:
            - {alert: Legacy, check: missing-runbook, reason: being retired, expires: 2026-12-31}
            - {alert: Old, check: RB001, reason: was retiring, expires: 2026-01-31}
            - {alert: Gone, check: RB001, reason: nothing to hide, expires: 2026-12-31}
        alerts: []
        """)
    project.rules(group(alert_rule("Legacy"), alert_rule("Old")))
    result = project.lint("rules")
    found = [(f.code, f.alert, f.level) for f in result.findings if f.code != "RB003"]
    assert found == [("RB001", "Old", "error"), ("RB016", "Old", "warning"), ("RB017", "Gone", "info")]
    assert result.waived == 1
    expired = next(f for f in result.findings if f.code == "RB016")
    assert expired.message == "waiver of RB001 for alert 'Old' expired on 2026-01-31 (was retiring)"


def test_today_comes_from_source_date_epoch(monkeypatch):
    from runbookgen.clock import today

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert today() == dt.date(2026, 1, 1)


def test_expression_drift_of_rules_without_a_grammar_compares_text(project):
    """A vmalert LogsQL rule cannot be parsed here; its runbook's expr is compared as text, white space aside
    (before, it was parsed as PromQL, failed, and drift went unseen)."""
    project.inventory("alerts:\n" + entry("Same", extra="    expr: 'env: \"prod\" | stats count() as n'\n")
                      + entry("Drifted", extra="    expr: 'env: \"prod\" | stats count() as n | filter n:>5'\n"))
    project.rules("groups:\n  - name: logs\n    type: vlogs\n    rules:\n"
                  + alert_rule("Same", expr="'env:   \"prod\"  | stats count() as n'")
                  + alert_rule("Drifted", expr="'env: \"prod\" | stats count() as n | filter n:>10'"))
    from runbookgen.lint import run_lint

    result = lint_paths(str(project.root / "runbooks.yaml"), (f"vmalert:{project.root / 'rules'}",), day=TODAY)
    found = [f for f in result.findings if f.code == "RB010"]
    assert [f.alert for f in found] == ["Drifted"]
    assert "filter n:>10" in found[0].message
