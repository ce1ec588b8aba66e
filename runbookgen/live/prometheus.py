"""The three questions the live checks ask a Prometheus HTTP API.

``PrometheusApi`` answers them: is the server there (``reachable``), does any series
match these selectors in a time range (``/api/v1/series``), and does an expression run
(``/api/v1/query``). A Loki server answers the same questions at ``/loki/api/v1/series``
and ``/loki/api/v1/query``; a ``LokiApi`` of this shape is where Loki will plug in.
"""

from __future__ import annotations

import re
import threading
import urllib.parse

from runbookgen.live.client import HttpClient, ServerUnreachable, json_answer

_NON_EMPTY_DATA = re.compile(rb'^\s*\{\s*"status"\s*:\s*"success"\s*,\s*"data"\s*:\s*\[\s*\{')


class QueryRefused(Exception):
    """The server understood the request and said no (bad selector, execution error, its own timeout)."""


class PrometheusApi:
    series_path = "/api/v1/series"
    query_path = "/api/v1/query"
    label_path = "/api/v1/label"

    def __init__(self, client: HttpClient, timeout: float):
        self.client = client
        self._answers: dict[tuple, bool] = {}  # many selectors ask the same question (does metric m exist?)
        self._lock = threading.Lock()
        # the server gives up a little before we stop waiting, so that its own "timeout" error is what we see
        self.query_timeout = max(timeout * 0.8, min(timeout, 1.0))

    @property
    def url(self) -> str:
        return self.client.shown_url

    def reachable(self, at: float) -> None:
        """Raise ServerUnreachable unless the URL answers like a Prometheus query API."""
        status, body, _ = self.client.post_form(self.query_path, [("query", "1"), ("time", _ts(at))])
        data = json_answer(body)
        if data is None or data.get("status") not in ("success", "error"):
            hint = " (is a token needed? see lint.prometheus.bearer_token_env)" if status in (401, 403) else ""
            raise ServerUnreachable(self.url, f"{self.query_path} answered HTTP {status} without a Prometheus "
                                              f"API answer{hint}")
        if data.get("status") != "success":
            raise ServerUnreachable(self.url, f"refused a trivial query: {_error_text(data)}")

    def any_series(self, matches: list[str], start: float, end: float) -> bool:
        """True when a series matching any of ``matches`` has samples between ``start`` and ``end``."""
        key = (tuple(matches), start, end)
        with self._lock:
            known = self._answers.get(key)
        if known is None:
            known = self._ask_series(matches, start, end)
            with self._lock:
                self._answers[key] = known
        return known

    def _ask_series(self, matches: list[str], start: float, end: float) -> bool:
        fields = [("match[]", m) for m in matches] + [("start", _ts(start)), ("end", _ts(end))]
        status, body, truncated = self.client.post_form(self.series_path, fields)
        if truncated:  # a long list: it is not empty when it starts with a series
            if _NON_EMPTY_DATA.match(body):
                return True
            raise ServerUnreachable(self.url, f"{self.series_path} answered with more than can be read")
        data = _answer(self.url, self.series_path, status, body)
        if data.get("status") != "success":
            raise QueryRefused(_error_text(data))
        return bool(data.get("data"))

    def label_values(self, label: str, match: str, start: float, end: float) -> list[str] | None:
        """The values ``label`` has on the series ``match`` selects between ``start`` and ``end``; None when
        the server would not say."""
        fields = [("match[]", match), ("start", _ts(start)), ("end", _ts(end))]
        path = f"{self.label_path}/{urllib.parse.quote(label, safe='')}/values?" + urllib.parse.urlencode(fields)
        status, body, truncated = self.client.get(path)
        data = _answer(self.url, self.label_path, status, body) if not truncated else {}
        values = data.get("data") if data.get("status") == "success" else None
        return sorted(v for v in values if isinstance(v, str)) if isinstance(values, list) else None

    def run(self, expr: str, at: float) -> int:
        """Run ``expr`` at time ``at``; the number of results. Raises QueryRefused with the server's message."""
        fields = [("query", expr), ("time", _ts(at)), ("timeout", f"{self.query_timeout:g}s")]
        status, body, truncated = self.client.post_form(self.query_path, fields)
        if truncated:
            return 1 if b'"status":"success"' in body[:64] else 0
        data = _answer(self.url, self.query_path, status, body)
        if data.get("status") != "success":
            raise QueryRefused(_error_text(data))
        result = (data.get("data") or {}).get("result")
        return len(result) if isinstance(result, list) else 1


def _answer(url: str, path: str, status: int, body: bytes) -> dict:
    data = json_answer(body)
    if data is None:
        raise ServerUnreachable(url, f"{path} answered HTTP {status} without a Prometheus API answer")
    return data


def _error_text(data: dict) -> str:
    kind, error = str(data.get("errorType") or "").strip(), str(data.get("error") or "no reason given").strip()
    text = " ".join(error.split())[:500]
    return f"{kind}: {text}" if kind else text


def _ts(seconds: float) -> str:
    return f"{seconds:.3f}"
