"""Where the live checks send their requests, and how: from ``--prometheus`` and ``lint.prometheus``.

A secret never sits in the inventory: ``bearer_token_env`` names the environment
variable that holds the token, and an ``Authorization`` header written in the file
is refused. A URL with credentials in it is refused too (it would be printed).
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from runbookgen.durations import parse_duration

from runbookgen.inventory.model import Inventory, LiveServer
from runbookgen.problems import InputError, Position, Problem

DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY, DEFAULT_LOOKBACK = "30s", 4, "1d"


@dataclass(frozen=True)
class ServerSettings:
    kind: str  # "prometheus"; the place where "loki" will go
    url: str
    headers: tuple[tuple[str, str], ...]
    timeout_seconds: float
    concurrency: int
    lookback: str  # as written, for messages
    lookback_seconds: float
    datasources: tuple[str, ...] = ()  # only the runbook queries of these datasources; () for all


def server_settings(inventory: Inventory, url: str | None, environ=None) -> ServerSettings | None:
    """The Prometheus the live checks ask, or None when neither the option nor the inventory names one."""
    environ = os.environ if environ is None else environ
    written = inventory.lint.prometheus
    if not url and not (written and written.url):
        return None
    written = written or LiveServer(pos=inventory.lint.pos or Position(inventory.path, 1, 1))
    problems: list[Problem] = []
    where = written.positions.get("url", written.pos)
    if not url:  # the option's URL was checked when the command line was read
        url = written.url
        problem = url_problem(url)
        if problem:
            problems.append(Problem(where, f"lint.prometheus.url: {problem}"))
    headers = []
    for name, value in written.headers:
        if name.lower() in ("authorization", "proxy-authorization", "cookie"):
            problems.append(Problem(written.positions.get("headers", written.pos),
                                    f"lint.prometheus.headers: {name} carries a secret and must not be written in "
                                    "the inventory; name an environment variable in bearer_token_env instead"))
        headers.append((name, value))
    if written.bearer_token_env:
        token = environ.get(written.bearer_token_env, "")
        if not token.strip():
            problems.append(Problem(written.positions.get("bearer_token_env", written.pos),
                                    f"lint.prometheus.bearer_token_env: the environment variable "
                                    f"{written.bearer_token_env} is not set or empty"))
        elif any(c in token for c in "\r\n\0"):
            problems.append(Problem(written.positions.get("bearer_token_env", written.pos),
                                    f"lint.prometheus.bearer_token_env: the environment variable "
                                    f"{written.bearer_token_env} holds a line break; it cannot be sent as a header"))
        else:
            headers.append(("Authorization", f"Bearer {token.strip()}"))
    timeout = _seconds(written.timeout or DEFAULT_TIMEOUT)
    lookback = _seconds(written.lookback or DEFAULT_LOOKBACK)
    for key, value in (("timeout", timeout), ("lookback", lookback)):
        if not value:
            problems.append(Problem(written.positions.get(key, written.pos), f"lint.prometheus.{key} must be "
                                                                             "longer than zero"))
    known = {d.name for d in inventory.datasources}
    for name in written.datasources:
        if name not in known:
            problems.append(Problem(written.positions.get("datasources", written.pos),
                                    f"lint.prometheus.datasources: no datasource is named {name!r}"))
    if problems:
        raise InputError(problems)
    return ServerSettings("prometheus", url, tuple(headers), timeout, written.concurrency or DEFAULT_CONCURRENCY,
                          written.lookback or DEFAULT_LOOKBACK, lookback, written.datasources)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a server's base URL, or None. Never repeats credentials found in it."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as err:
        return f"not a usable URL ({err})"
    if parts.username or parts.password:
        return ("the URL must not carry credentials (they would be printed and logged); name an environment "
                "variable in lint.prometheus.bearer_token_env instead")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http:// or https:// URL of a server"
    if parts.query or parts.fragment or any(c.isspace() or ord(c) < 32 for c in url):
        return f"{url!r} must be the server's base URL, without a query, fragment or spaces"
    return None


def _seconds(duration: str) -> float:
    try:
        return parse_duration(duration).total_seconds()
    except Exception:  # noqa: BLE001 - the schema admits only durations; this is a second line of defence
        return 0.0
