"""RB016 expired-waiver, with RB017 unused-waiver: waivers that apply, expired, or hide nothing."""

from __future__ import annotations

from lint_helpers import alert_rule, group


def test_waivers_active_expired_and_unused(project):
    project.inventory("""\
        lint:
          waivers:
            - {alert: Legacy, check: missing-runbook, reason: being retired, expires: 2026-12-31}
            - {alert: Old, check: RB001, reason: was retiring, expires: 2026-01-31}
            - {alert: Gone, check: RB001, reason: nothing to hide, expires: 2026-12-31}
        alerts: []
        """)
    project.rules(group(alert_rule("Legacy"), alert_rule("Old")))
    result = project.lint("rules")
    found = [(f.code, f.alert, f.level) for f in result.findings if f.code != "RB003"]
    assert found == [("RB001", "Old", "error"), ("RB016", "Old", "warning"), ("RB017", "Gone", "info")]
    assert result.waived == 1
    expired = next(f for f in result.findings if f.code == "RB016")
    assert expired.message == "waiver of RB001 for alert 'Old' expired on 2026-01-31 (was retiring)"
