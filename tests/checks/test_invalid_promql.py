"""RB008 invalid-promql: PromQL that does not parse, in rule files and runbook queries."""

from __future__ import annotations

from lint_helpers import alert_rule, group


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
