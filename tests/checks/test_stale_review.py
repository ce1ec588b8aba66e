"""RB013 stale-review: runbooks not reviewed within lint.stale_after."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_stale_review_window_and_never_reviewed(project):
    project.inventory("lint:\n  stale_after: 30d\nalerts:\n"
                      + entry("Fresh", "warning", extra="    last_reviewed: 2026-05-10\n")
                      + entry("Old", "warning", extra="    last_reviewed: 2026-01-02\n")
                      + entry("Never", "warning", extra="")
                      + entry("Stub", "warning", extra="    status: draft\n"))
    project.rules(group(*(alert_rule(n, "warning") for n in ("Fresh", "Old", "Never", "Stub"))))
    found = [f.message for f in project.findings("rules", code="RB013")]
    assert found == ["runbook 'Old' was last reviewed on 2026-01-02, 150 days ago (limit: 30d)",
                     "runbook 'Never' has never been reviewed (no last_reviewed date)"]
