"""Live checks: ask the Prometheus server the user named whether the queries see anything.

``live_results(inventory, ruleset, url)`` is the stage's entry point: it resolves the
server settings (``--prometheus`` over ``lint.prometheus``), asks the server (``probe``)
and returns ``LiveResults`` for the lint checks, or None when no server is named. It
raises ``InputError`` for unusable settings and ``ServerUnreachable`` when the server
cannot be asked. Requests go to that one URL only: no proxies, no redirects.
"""

from __future__ import annotations

import os
import time

from runbookgen.live.results import LiveResults

__all__ = ["LiveResults", "ServerUnreachable", "live_results"]


def __getattr__(name: str):
    """``ServerUnreachable`` on first use: the HTTP client (http.client, ssl) loads only when a server is asked."""
    if name == "ServerUnreachable":
        from runbookgen.live.client import ServerUnreachable

        return ServerUnreachable
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def live_results(inventory, ruleset, url: str | None, *, now: float | None = None,
                 environ=None) -> LiveResults | None:
    from runbookgen.live.settings import server_settings

    settings = server_settings(inventory, url, os.environ if environ is None else environ)
    if settings is None:
        return None
    from runbookgen.live.probe import probe  # the HTTP client and its threads: only when a server is asked

    return probe(inventory, ruleset, settings, time.time() if now is None else now)
