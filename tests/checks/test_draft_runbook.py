"""RB014 draft-runbook: runbooks still marked draft."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_draft_runbook(project):
    project.inventory("alerts:\n" + entry("Stub", extra="    status: draft\n"))
    project.rules(group(alert_rule("Stub")))
    found = project.findings("rules", code="RB014")
    assert [(str(f.pos), f.level) for f in found] == [("runbooks.yaml:10:13", "warning")]
    assert project.findings("rules", code="RB012") == []  # drafts are not also "incomplete"
