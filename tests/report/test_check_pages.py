"""The check pages are generated from the check modules; the committed copies must not drift."""

from __future__ import annotations

import re

import pytest
from lint_helpers import REPO

from runbookgen.checks.base import LEVELS
from runbookgen.report.check_pages import pages
from runbookgen.checks.registry import CHECKS, find_check

DOCS = REPO / "docs" / "checks"


@pytest.mark.parametrize("name, text", sorted(pages().items()))
def test_committed_pages_match_the_source(name, text):
    committed = DOCS / name
    assert committed.is_file(), f"{committed} is missing: run python -c 'from runbookgen.report.check_pages import " \
                                f"write_check_docs; write_check_docs(\"docs/checks\")'"
    assert committed.read_text(encoding="utf-8") == text, f"{committed} is out of date: regenerate it"


def test_no_stale_pages():
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(pages())


@pytest.mark.parametrize("check", CHECKS, ids=[c.NAME for c in CHECKS])
def test_each_check_is_documented_and_identified(check):
    assert re.fullmatch(r"RB\d{3}", check.CODE) and re.fullmatch(r"[a-z]+(-[a-z]+)+", check.NAME)
    assert check.LEVEL in LEVELS
    for section in ("## What it catches", "## Why it matters", "## Example", "## How to fix"):
        assert section in check.__doc__, f"{check.NAME}: no {section!r} section"
    assert find_check(check.CODE) is check and find_check(check.NAME) is check
    assert find_check(check.CODE.lower()) is check


def test_codes_and_names_are_unique():
    assert len({c.CODE for c in CHECKS}) == len({c.NAME for c in CHECKS}) == len(CHECKS)
