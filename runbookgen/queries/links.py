"""Deep links built from a runbook's own queries: Grafana Explore and the Prometheus expression browser."""

from __future__ import annotations

import json
from urllib.parse import quote

_EXPLORE_RANGE = {"from": "now-1h", "to": "now"}


def explore_url(grafana_url: str, datasource_type: str, datasource_uid: str, expr: str, *,
                org_id: int = 1, language: str = "promql") -> str:
    """A Grafana Explore link (the ``panes`` form of Grafana 10 and later) that runs ``expr``.

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
    panes = {"rb": {"datasource": datasource_uid, "queries": [query], "range": _EXPLORE_RANGE}}
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
