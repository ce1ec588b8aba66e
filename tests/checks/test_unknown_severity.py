"""RB006 unknown-severity: severity label values the inventory does not map."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


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
