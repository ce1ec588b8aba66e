"""RB009 invalid-logql: LogQL that does not parse, in rule files and runbook queries."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


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
