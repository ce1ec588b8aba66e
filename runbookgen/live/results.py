"""What the live checks learned from the server: values the lint checks read and the site shows.

``LiveResults`` is computed once, before the checks run (see ``runbookgen.live.probe``);
the checks only turn it into findings. ``as_data``/``query_marks`` are the lint JSON's
``live`` section and what the site reads back from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from runbookgen.problems import InputError, Position, Problem

OK, NONE, STOPPED, UNCHECKED = "ok", "none", "stopped", "unchecked"


@dataclass(frozen=True)
class Verdict:
    """What one selector matched over the lookback: ok, none (nothing at all), stopped, or unchecked."""

    status: str
    detail: str = ""  # why: the matcher that kills it, what the metric's series look like, the server's refusal


@dataclass(frozen=True)
class SelectorResult:
    pos: Position  # where the selector starts, inside the expression when that can be known
    subject: str  # "alert 'X'", "recording rule 'x:y'", "runbook 'X' query 'Title'"
    alert: str
    selector: str
    verdict: Verdict


@dataclass(frozen=True)
class QueryResult:
    """One runbook query, run once at the server."""

    pos: Position
    subject: str
    alert: str
    query_index: int
    expr: str = ""  # as written, so that a later build shows the mark only beside the same query
    error: str = ""  # the server's message when it failed
    results: int | None = None  # series in its answer; None when it was not run (dashboard variables)
    no_data: bool = False  # a selector of it matched nothing in the lookback, or stopped matching


@dataclass(frozen=True)
class LiveResults:
    server: str
    lookback: str
    selectors: tuple[SelectorResult, ...] = ()
    queries: tuple[QueryResult, ...] = ()

    def as_data(self) -> dict:
        """The lint JSON's ``live`` section."""
        return {"server": self.server, "lookback": self.lookback,
                "queries": [{"alert": q.alert, "query": q.query_index, "file": q.pos.file, "line": q.pos.line,
                             "column": q.pos.col, "expr": q.expr, "no_data": q.no_data, "error": q.error,
                             "results": q.results} for q in self.queries]}


@dataclass(frozen=True)
class QueryMark:
    """What the site says beside a runbook query after a live lint run."""

    no_data: bool
    error: str
    lookback: str
    expr: str


def load_query_marks(path: str) -> dict[tuple[str, int], QueryMark]:
    """The marks of a lint JSON report (``lint --prometheus URL --format json``); InputError when unusable."""
    where = Position(path, 1, 1)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as err:
        raise InputError([Problem(where, f"cannot read the live results: {err.strerror or err}")]) from None
    except (UnicodeDecodeError, ValueError) as err:
        raise InputError([Problem(where, f"not a lint JSON report: {err}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("live"), dict):
        raise InputError([Problem(where, "holds no live results: write it with runbookgen lint --prometheus URL "
                                         "--format json")])
    return query_marks(data)


def query_marks(data) -> dict[tuple[str, int], QueryMark]:
    """(alert name, query index) -> mark, from a lint JSON document; {} when it holds no live section."""
    live = data.get("live") if isinstance(data, dict) else None
    if not isinstance(live, dict) or not isinstance(live.get("queries"), list):
        return {}
    lookback = str(live.get("lookback") or "")
    marks = {}
    for item in live["queries"]:
        if not isinstance(item, dict) or not isinstance(item.get("alert"), str):
            continue
        index = item.get("query")
        if not isinstance(index, int) or isinstance(index, bool):
            continue
        marks[(item["alert"], index)] = QueryMark(item.get("no_data") is True, str(item.get("error") or ""),
                                                  lookback, str(item.get("expr") or ""))
    return marks
