"""What the three live checks (no-series, query-fails, metric-stopped) share: the lookback they
are judged over, and the server's answers of one kind (nothing without a server: they skip)."""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.options import Option
from runbookgen.live.settings import DEFAULT_LOOKBACK

LOOKBACK = Option("prometheus.lookback", "duration", DEFAULT_LOOKBACK,
                  "How far back a selector must have matched something")


def selectors_judged(ctx, status: str):
    """The selector results whose verdict is ``status``; none without a live server."""
    if ctx.live is None:
        return
    for found in ctx.live.selectors:
        if found.verdict.status == status:
            yield found


def selector_report(found, what: str) -> Report:
    """A finding at the selector: ``<subject>: selector <selector> <what>``."""
    return Report(found.pos, f"{found.subject}: selector {found.selector} {what}", alert=found.alert)
