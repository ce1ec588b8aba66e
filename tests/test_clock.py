"""The clock: "today" for every check, from SOURCE_DATE_EPOCH when it is set."""

from __future__ import annotations

import datetime as dt


def test_today_comes_from_source_date_epoch(monkeypatch):
    from runbookgen.clock import today

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert today() == dt.date(2026, 1, 1)
