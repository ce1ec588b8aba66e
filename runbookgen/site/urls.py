"""Moved: page addresses live in ``runbookgen.addresses``."""

from runbookgen.addresses import DEFAULT_PATTERN, alert_page_url, runbook_url  # noqa: F401
