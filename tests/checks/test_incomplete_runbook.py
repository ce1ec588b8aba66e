"""RB012 incomplete-runbook: a paging runbook without steps, mitigation or escalation."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_incomplete_runbook_for_paging_severities_only(project):
    project.inventory("alerts:\n" + entry("Paging", extra="    last_reviewed: 2026-05-01\n")
                      + entry("Quiet", "warning", extra="    last_reviewed: 2026-05-01\n"),
                      head="version: 1\nservice:\n  name: Demo\n")
    project.rules(group(alert_rule("Paging"), alert_rule("Quiet", "warning")))
    found = [f.message for f in project.findings("rules", code="RB012")]
    assert found == ["runbook 'Paging' is for a paging severity (critical) but has no investigation steps, "
                     "no mitigation, no escalation path"]
