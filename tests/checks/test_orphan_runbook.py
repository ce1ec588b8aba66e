"""RB002 orphan-runbook: a runbook that matches no alerting rule."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_orphan_runbook_with_hint_and_deprecated_left_alone(project):
    project.inventory("alerts:\n" + entry("CheckoutDwn") + entry("Retired", extra="    status: deprecated\n"))
    project.rules(group(alert_rule("CheckoutDown")))
    found = project.findings("rules", code="RB002")
    assert [(str(f.pos), f.message) for f in found] == [
        ("runbooks.yaml:7:5", "runbook 'CheckoutDwn' matches no alerting rule in the 1 rule file read "
                              "(did you mean 'CheckoutDown'?)")]
