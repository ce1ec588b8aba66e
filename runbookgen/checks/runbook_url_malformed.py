"""A `runbook_url` annotation is not an absolute http(s) URL.

## What it catches

A `runbook_url` that is not an absolute `http://` or `https://` URL with a host:
a relative path, a bare page name, a typo in the scheme, or spaces. Prometheus
template expressions (`{{ $labels.alertname }}`) are allowed in it.

## Why it matters

Notifications are read far from the repository: a relative or broken link in a
page or a chat message cannot be followed.

## Example

```yaml
annotations:
  runbook_url: alerts/checkout-latency-high     # relative: leads nowhere from a pager
  runbook_url: htps://runbooks.example.com/...  # typo in the scheme
```

## How to fix

Write the full URL of the alert's page, or let `runbookgen annotate` write it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from runbookgen.checks.base import Report

CODE = "RB004"
NAME = "runbook-url-malformed"
LEVEL = "error"

_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_SPACE = re.compile(r"\s")


def url_problem(url: str) -> str:
    """Why ``url`` is not an absolute http(s) URL, or "" when it is one."""
    plain = _TEMPLATE.sub("x", url.strip()) if "{{" in url else url.strip()
    scheme, sep, rest = plain.partition("://")
    if sep and scheme in ("http", "https") and rest[:1] not in ("", "/") and not _SPACE.search(plain):
        return ""  # the common case, decided without urlsplit
    if _SPACE.search(plain):
        return "contains spaces"
    try:
        parts = urlsplit(plain)
    except ValueError as err:
        return str(err)
    if parts.scheme not in ("http", "https"):
        return "is not an absolute http(s) URL" if not parts.scheme else f"has scheme {parts.scheme!r}, not http(s)"
    return "" if parts.netloc else "has no host"


def check(ctx):
    for rule in ctx.ruleset.rules:
        url = rule.annotation("runbook_url") if rule.kind == "alert" else None
        if not url or not url.strip():
            continue
        why = url_problem(url)
        if why:
            yield Report(rule.where("annotations", "runbook_url"),
                         f"runbook_url of alert {rule.name!r} {why}: {url!r}", alert=rule.name)
