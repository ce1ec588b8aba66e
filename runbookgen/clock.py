"""What day it is: the one place runbookgen reads the clock.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) fixes
the date for reproducible output. A value that is not a whole number of seconds is
an input error, reported before any work starts, not a crash deep in the site engine.
"""

from __future__ import annotations

import datetime as dt
import os

from runbookgen.problems import InputError, Position, Problem

VARIABLE = "SOURCE_DATE_EPOCH"


def source_date_epoch() -> int | None:
    """The environment's SOURCE_DATE_EPOCH as seconds, None when unset or empty."""
    raw = os.environ.get(VARIABLE)
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:  # 12 digits: the year 33658
        shown = repr(raw if len(raw) <= 40 else raw[:40] + "...")
        raise InputError([Problem(Position(f"${VARIABLE}", 1, 1),
                                  f"{shown} is not a whole number of seconds since 1970-01-01 UTC")])
    return int(text)


def today() -> dt.date:
    """Today (UTC date when SOURCE_DATE_EPOCH is set, the local date otherwise)."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).date()
    return dt.date.today()
