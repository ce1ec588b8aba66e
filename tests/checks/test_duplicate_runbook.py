"""RB011 duplicate-runbook: one alert name with two runbooks."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_duplicate_runbook_is_a_finding_not_a_load_error(project):
    project.inventory("alerts:\n" + entry("A") + entry("A", "warning"))
    project.rules(group(alert_rule("A")))
    found = project.findings("rules", code="RB011")
    assert [(str(f.pos), f.message) for f in found] == [
        ("runbooks.yaml:13:5", "runbook 'A' is defined again (first at runbooks.yaml:7:5); one alert name needs "
                               "one runbook")]
