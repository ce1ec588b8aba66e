"""Prometheus durations: one reader for the schema, the checks, the pages and the adoption commands."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from runbookgen.durations import PATTERN, duration_words, is_duration, parse_duration
from support import REPO


def test_the_schema_admits_exactly_what_the_code_reads():
    schema = json.loads((REPO / "runbookgen" / "inventory" / "schema.json").read_text())
    assert schema["$defs"]["duration"]["pattern"] == PATTERN


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("1h30m", 5400), ("90s", 90), ("1d", 86400),
                                           ("250ms", 0.25), ("1w", 604800), ("1y", 365 * 86400), ("0s", 0)])
def test_durations_are_read_as_prometheus_does(text, seconds):
    assert is_duration(text) and parse_duration(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "15", "m", "1.5h", "1h 30m", "-5m", "5M", "1h30", "15 minutes", "1d\n"])
def test_anything_else_is_no_duration(text):
    assert not is_duration(text) and parse_duration(text) is None
    assert duration_words(text) == text  # shown as written


def test_words():
    assert duration_words("15m") == "15 minutes"
    assert duration_words("1h30m") == "1 hour 30 minutes"
    assert duration_words("1d") == "1 day"
