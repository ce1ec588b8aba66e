"""Prometheus durations (``90s``, ``1h30m``, ``15m``): the one parser every stage uses.

The inventory schema's ``duration`` pattern is generated from ``PATTERN`` here, so
what validates and what the code reads are the same thing.
"""

from __future__ import annotations

import datetime as dt
import re

UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
_UNIT = "(?:ms|s|m|h|d|w|y)"
PATTERN = f"^(?:[0-9]+{_UNIT})+$"  # the whole value; units may repeat as Prometheus allows (1h30m)
_PART = re.compile(f"([0-9]+)({_UNIT})")
_WHOLE = re.compile(PATTERN)
_NAMES = {"ms": "millisecond", "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "y": "year"}


def is_duration(text: str) -> bool:
    return bool(_WHOLE.fullmatch(str(text or "")))  # fullmatch: "$" alone would let "1d\n" through


def duration_parts(text: str) -> list[tuple[int, str]]:
    """``'1h30m'`` -> ``[(1, 'h'), (30, 'm')]``; text that is not a duration gives []."""
    text = str(text or "")
    return [(int(n), unit) for n, unit in _PART.findall(text)] if is_duration(text) else []


def parse_duration(text: str) -> dt.timedelta | None:
    """The length of a duration, or None when ``text`` is not one."""
    parts = duration_parts(text)
    if not parts:
        return None
    return dt.timedelta(seconds=sum(n * UNITS[unit] for n, unit in parts))


def duration_words(text: str) -> str:
    """``'15m'`` -> ``'15 minutes'``, ``'1h30m'`` -> ``'1 hour 30 minutes'``; other text unchanged."""
    parts = duration_parts(text)
    if not parts:
        return str(text or "")
    return " ".join(f"{n} {_NAMES[unit]}{'' if n == 1 else 's'}" for n, unit in parts)
