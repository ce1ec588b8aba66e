"""RB001 missing-runbook: an alerting rule without a runbook, and exempt severities."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


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
