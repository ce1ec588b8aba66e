"""RB015 invalid-rule: rule-file structure problems."""

from __future__ import annotations

from lint_helpers import group, entry


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
