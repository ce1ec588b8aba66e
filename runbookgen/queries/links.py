"""Deep links built from a runbook's own queries: Grafana Explore and the Prometheus expression browser."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from runbookgen.durations import parse_duration

MIN_WINDOW = 3600  # seconds: a short alert still shows an hour of history around it
MAX_WINDOW = 14 * 86400  # a derived window stays inside Prometheus' default retention (15 days)
WINDOW_FACTOR = 4  # the window spans this many times the alert's longest duration
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`")  # PromQL/LogQL string literals
_RANGE = re.compile(r"\[\s*([0-9a-z]+)\s*(?::[^\]]*)?\]")  # [5m], and a subquery's [1h:1m]
_WINDOW_UNITS = (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def longest_range(expr: str) -> int:
    """The longest range selector or subquery range in a PromQL/LogQL expression, in seconds (0 without one).

    String literals are skipped, so a regular expression like ``path=~"/[a-z]+"`` is not a range.
    """
    seconds = 0
    for match in _RANGE.finditer(_STRING.sub('""', expr or "")):
        length = parse_duration(match.group(1))
        if length is not None:
            seconds = max(seconds, int(length.total_seconds()))
    return seconds


def explore_window(expr: str, *, alert_for: str = "", explicit: str = "") -> str:
    """How far back an Explore or graph link looks, as a duration both Grafana and Prometheus read (``3h``).

    ``explicit`` (the inventory's ``explore_range``) wins; else ``WINDOW_FACTOR`` times the longer of the
    alert's ``for`` and the query's longest range, at least an hour and at most ``MAX_WINDOW``.
    """
    chosen = parse_duration(explicit)
    if chosen is not None and chosen.total_seconds() > 0:
        seconds = chosen.total_seconds()
    else:
        pending = parse_duration(alert_for)
        span = max(int(pending.total_seconds()) if pending else 0, longest_range(expr))
        seconds = min(max(WINDOW_FACTOR * span, MIN_WINDOW), MAX_WINDOW)
    seconds = max(1, int(-(-seconds // 1)))  # whole seconds, rounded up (100ms -> 1s)
    return next(f"{seconds // size}{unit}" for unit, size in _WINDOW_UNITS if seconds % size == 0)


def explore_url(grafana_url: str, datasource_type: str, datasource_uid: str, expr: str, *,
                org_id: int = 1, language: str = "promql", window: str = "1h") -> str:
    """A Grafana Explore link (the ``panes`` form of Grafana 10 and later) that runs ``expr`` over the last
    ``window`` (a duration from ``explore_window``).

    Returns "" when there is no Grafana URL or datasource uid to point at.
    """
    if not grafana_url or not datasource_uid:
        return ""
    ds = {"type": datasource_type, "uid": datasource_uid}
    query = {"refId": "A", "datasource": ds}
    if language == "traceql":
        query.update(queryType="traceql", query=expr)
    else:
        query["expr"] = expr
    panes = {"rb": {"datasource": datasource_uid, "queries": [query], "range": {"from": f"now-{window}", "to": "now"}}}
    panes_json = json.dumps(panes, separators=(",", ":"), sort_keys=True)
    return f"{grafana_url.rstrip('/')}/explore?schemaVersion=1&orgId={_q(str(org_id))}&panes={_q(panes_json)}"


def prometheus_graph_url(prometheus_url: str, expr: str, *, range_input: str = "1h") -> str:
    """A link to the Prometheus expression browser with ``expr`` filled in ("" without a URL)."""
    if not prometheus_url:
        return ""
    return f"{prometheus_url.rstrip('/')}/graph?g0.expr={_q(expr)}&g0.tab=0&g0.range_input={_q(range_input)}"


def _q(value: str) -> str:
    """Percent-encode a query parameter's value; only letters, digits and ``_.-~`` stay as they are."""
    return quote(value, safe="")


SLOT = "\x00"
"""Stands for the expression while a link is built as a template (``link_template``): no query holds it."""
_SLOT_IN = {"json": _q(json.dumps(SLOT)[1:-1]), "raw": _q(SLOT)}  # how each link kind writes it


def link_template(url: str, how: str) -> tuple[str, str] | None:
    """A link built with ``SLOT`` for its expression, cut where the expression goes: (before, after).

    ``how`` says how the link writes the expression: ``json`` inside a JSON string (Explore's ``panes``),
    ``raw`` as a query parameter (the Prometheus graph). The page's script puts the expression back, encoded
    the same way, so ``before + encode(expr) + after`` is the link ``explore_url`` or ``prometheus_graph_url``
    writes for ``expr``. None when the slot is not there exactly once (a base URL that holds it).
    """
    parts = url.split(_SLOT_IN[how])
    return (parts[0], parts[1]) if len(parts) == 2 else None
