"""The checks, in the order their findings are produced, and lookup by code or name."""

from __future__ import annotations

from runbookgen.checks import (draft_runbook, duplicate_runbook, expired_waiver, expression_drift,
                               incomplete_runbook, invalid_logql, invalid_promql, invalid_rule, missing_runbook,
                               no_rules_checked, orphan_runbook, runbook_url_malformed, runbook_url_mismatch,
                               runbook_url_missing, severity_mismatch, stale_review, unchecked_expression,
                               unknown_severity, unused_waiver)
from runbookgen.checks import metric_stopped, no_series, query_fails  # live: they need a server to ask

CHECKS = (
    missing_runbook, orphan_runbook, runbook_url_missing, runbook_url_malformed, runbook_url_mismatch,
    unknown_severity, severity_mismatch, invalid_promql, invalid_logql, expression_drift, duplicate_runbook,
    incomplete_runbook, stale_review, draft_runbook, invalid_rule, no_series, query_fails, metric_stopped,
    no_rules_checked, unchecked_expression,
    expired_waiver, unused_waiver,
)

_BY_KEY = {key: check for check in CHECKS for key in (check.CODE, check.CODE.lower(), check.NAME)}


def find_check(key: str):
    """The check with this code (RB001, case-insensitive) or name (missing-runbook), or None."""
    return _BY_KEY.get(key) or _BY_KEY.get(str(key).lower())


def check_keys() -> list[str]:
    return [k for check in CHECKS for k in (check.CODE, check.NAME)]
