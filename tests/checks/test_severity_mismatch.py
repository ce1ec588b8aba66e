"""RB007 severity-mismatch: a rule and its runbook disagree on severity."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


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
