"""Where each alert's page lives: the one place that decides page addresses and runbook URLs.

Rule files point their ``runbook_url`` annotation at these addresses, so they must
never change for a given alert name, site_url and URL style.
"""

from __future__ import annotations

from urllib.parse import quote

from runbookgen.inventory.model import slugify

DEFAULT_PATTERN = "{site_url}{path}"
_NAME_SAFE = ":@!$'*+,;=-._~"  # RFC 3986 path characters that need no encoding (not / ? # % & ( ))


def alert_page_url(name: str, *, html_pages: bool) -> str:
    """The alert page's address below the site root: ``alerts/<slug>.html`` or ``alerts/<slug>/``."""
    slug = slugify(name)
    return f"alerts/{slug}.html" if html_pages else f"alerts/{slug}/"


def runbook_url(name: str, *, site_url: str, html_pages: bool, pattern: str = "") -> str:
    """The URL an alert's ``runbook_url`` annotation should hold ("" when neither site_url nor pattern is known).

    ``pattern`` (the inventory's ``lint.runbook_url``) may use {site_url}, {path}, {slug} and {name}; {name} is
    percent-encoded where a URL needs it (a space, a slash, non-ASCII letters), so names made only of letters,
    digits, _, : and - stay as they are.
    """
    if not pattern and not site_url:
        return ""
    base = site_url.rstrip("/") + "/" if site_url else ""
    return (pattern or DEFAULT_PATTERN).format(site_url=base, path=alert_page_url(name, html_pages=html_pages),
                                               slug=slugify(name), name=quote(name, safe=_NAME_SAFE))
