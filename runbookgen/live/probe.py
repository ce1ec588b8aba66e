"""Ask the server about every selector and runbook query, a bounded number of requests at a time.

``probe(inventory, ruleset, settings, now)`` returns ``LiveResults``. Each distinct
selector is judged once (``judge``), however many rules and queries use it:

1. matched in the second half of the lookback: ok;
2. else matched in the first half: stopped;
3. else nothing in the whole lookback: find out why, the pint way. Does the metric
   exist at all? Which label matcher, asked alone with the metric, matches nothing?
   If each matches something alone, which one, dropped, lets the rest match?

Selectors inside ``absent()`` and of ``ALERTS`` are not judged: matching nothing is what they test, or
what they do while no alert fires.
Runbook queries are also run once (``/api/v1/query``) to catch execution errors.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from runbookgen.inventory.model import Inventory
from runbookgen.live.client import HttpClient
from runbookgen.live.positions import InventoryText
from runbookgen.live.prometheus import PrometheusApi, QueryRefused
from runbookgen.live.results import NONE, OK, STOPPED, UNCHECKED, LiveResults, QueryResult, SelectorResult, Verdict
from runbookgen.live.selectors import Matcher, Selector, vector_selectors
from runbookgen.live.settings import ServerSettings
from runbookgen.problems import Position
from runbookgen.queries.promql import fill_grafana_variables, promql_error
from runbookgen.rules.model import RuleSet

# A dashboard variable ($job, ${job}, [[job]]) in a matcher's value: nothing fills it in outside Grafana.
_VARIABLE = re.compile(r"\$\w+|\$\{[^}]*\}|\[\[\w+\]\]")
_ALERT_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
_VALUES_SHOWN = 5  # label values named in a message


@dataclass(frozen=True)
class Target:
    """An expression to ask about: a rule's expr, or a runbook query (``index`` >= 0)."""

    subject: str
    alert: str
    expr: str
    selectors: tuple[Selector, ...]
    where: Callable[[Selector | None], Position]  # a selector's position; None: the expression's
    index: int = -1  # the query's index in its alert's queries
    runnable: str = ""  # the query as the server runs it; "" when it cannot be run (dashboard variables)


def probe(inventory: Inventory, ruleset: RuleSet, settings: ServerSettings, now: float) -> LiveResults:
    """Everything the live checks need to know. Raises ServerUnreachable when the server cannot be asked."""
    api = PrometheusApi(HttpClient(settings.url, dict(settings.headers), settings.timeout_seconds),
                        settings.timeout_seconds)
    api.reachable(now)
    targets = list(_targets(inventory, ruleset, settings.datasources))
    distinct = {}
    for target in targets:
        for selector in target.selectors:
            distinct.setdefault(_key(selector), selector)
    keys = sorted(distinct)
    queries = [t for t in targets if t.index >= 0]
    runnable = [t for t in queries if t.runnable]
    with ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="live") as pool:
        jobs = [pool.submit(judge, api, distinct[k], now, settings.lookback_seconds, settings.lookback) for k in keys]
        jobs += [pool.submit(_run, api, t.runnable, now) for t in runnable]
        try:
            done = [job.result() for job in jobs]
        except BaseException:
            for job in jobs:  # the server went away: ask nothing more
                job.cancel()
            raise
    verdicts = dict(zip(keys, done[:len(keys)]))
    answers = dict(zip((id(t) for t in runnable), done[len(keys):]))
    recorded = {r.name: r for r in ruleset.rules if r.kind == "record"}
    selectors, results = [], []
    for target in targets:
        judged = [(s, _recorded_hint(verdicts[_key(s)], recorded.get(s.metric))) for s in target.selectors]
        selectors += [SelectorResult(target.where(s), target.subject, target.alert, str(s), v) for s, v in judged]
        if target.index >= 0:
            error, count = answers.get(id(target), ("", None))
            results.append(QueryResult(target.where(None), target.subject, target.alert, target.index, target.expr,
                                       error, count, no_data=any(v.status in (NONE, STOPPED) for _, v in judged)))
    return LiveResults(settings.url, settings.lookback, tuple(selectors), tuple(results))


def _recorded_hint(verdict: Verdict, rule) -> Verdict:
    """A metric that a recording rule of these files produces: say so, it may just not be deployed yet."""
    if rule is None or verdict.status != NONE:
        return verdict
    hint = f"it is recorded by the rule at {rule.pos}; is that rule loaded on this server?"
    return Verdict(NONE, f"{verdict.detail}; {hint}" if verdict.detail else hint)


def _targets(inventory: Inventory, ruleset: RuleSet, datasources: tuple[str, ...] = ()):
    """Every Prometheus rule, then every runbook query in PromQL (of ``datasources``, when given)."""
    for rule in ruleset.rules:
        if rule.dialect != "prometheus" or not rule.expr:
            continue

        def where(selector, rule=rule):
            if selector is None or selector.start is None:
                return rule.expr_pos
            return rule.position_in_expr(selector.line, selector.col)

        subject = f"alert {rule.name!r}" if rule.kind == "alert" else f"recording rule {rule.name!r}"
        found = tuple(s for s in vector_selectors(rule.expr) if _asked(s))
        yield Target(subject, rule.name if rule.kind == "alert" else "", rule.expr, found, where)
    text = InventoryText()
    for alert in inventory.alerts:
        for index, query in enumerate(alert.queries):
            if query.language != "promql" or (datasources and query.datasource not in datasources):
                continue
            value = alert.where("queries", index, "expr")

            def where(selector, value=value, expr=query.expr):
                if selector is None or selector.start is None:
                    return value
                return text.position_in(value, expr, selector.line, selector.col)

            filled = fill_grafana_variables(query.expr)
            runnable = filled if promql_error(filled) is None and not _VARIABLE.search(filled) else ""
            found = (_without_variables(s) for s in vector_selectors(query.expr) if _asked(s))
            yield Target(f"runbook {alert.name!r} query {query.title!r}", alert.name, query.expr,
                         tuple(s for s in found if s is not None), where, index, runnable)


def _asked(selector: Selector) -> bool:
    """Selectors that match nothing when all is well are not asked about: absent()'s, and the series of
    firing alerts (ALERTS, ALERTS_FOR_STATE), which exist only while an alert fires."""
    return not selector.in_absence and selector.metric not in _ALERT_SERIES


def _without_variables(selector: Selector) -> Selector | None:
    """The selector without matchers whose value is a dashboard variable; None when nothing is left to ask."""
    kept = tuple(m for m in selector.matchers if not _VARIABLE.search(m.value))
    if kept == selector.matchers:
        return selector
    if not selector.metric and not any(m.op in ("=", "=~") and m.value for m in kept):
        return None
    return dataclasses.replace(selector, matchers=kept)


def _key(selector: Selector) -> tuple:
    """Selectors that ask the server the same question share a key (wherever they were written)."""
    return selector.series_match(), selector.offset_seconds, selector.at_seconds or 0.0


def judge(api: PrometheusApi, selector: Selector, now: float, lookback: float, lookback_text: str) -> Verdict:
    """What ``selector`` matched over the lookback; see the module docstring."""
    end = (now if selector.at_seconds is None else selector.at_seconds) - selector.offset_seconds
    start, middle = end - lookback, end - lookback / 2
    matches = [selector.series_match()]
    try:
        if api.any_series(matches, middle, end):
            return Verdict(OK)
        if selector.metric and not api.any_series([selector.series_match(())], start, end):  # asked once per metric
            return Verdict(NONE, f"no series of metric {selector.metric!r} at all in the last {lookback_text}")
        if api.any_series(matches, start, middle):
            return Verdict(STOPPED, f"it matched series in the first half of the last {lookback_text} and none "
                                    f"since {_ago(lookback / 2)}")
        return Verdict(NONE, _why_nothing(api, selector, start, end))
    except QueryRefused as err:
        return Verdict(UNCHECKED, f"the server refused to look it up: {err}")


def _why_nothing(api: PrometheusApi, selector: Selector, start: float, end: float) -> str:
    """Which matcher kills a selector whose metric exists (or that has no metric name)."""
    name = f"metric {selector.metric}" if selector.metric else "series"
    if not selector.matchers:
        return ""
    alone = [m for m in selector.matchers if (selector.metric or not _matches_empty(m))
             and not api.any_series([selector.series_match((m,))], start, end)]
    if alone:
        return "; ".join(_matcher_reason(api, selector, m, start, end, name) for m in alone)
    dropped = [m for m in selector.matchers if len(selector.matchers) > 1
               and api.any_series([selector.series_match(tuple(x for x in selector.matchers if x is not m))],
                                  start, end)]
    if dropped:
        shown = " or ".join(f"'{m}'" for m in dropped)
        return f"each matcher matches {name} series, but not together; without {shown} it would match"
    return "no combination of its matchers matches"


def _matches_empty(matcher: Matcher) -> bool:
    """Whether a matcher matches series without the label (the series API needs one matcher that does not)."""
    if matcher.op in ("=", "!="):
        return (matcher.value == "") == (matcher.op == "=")
    try:
        empty = re.fullmatch(matcher.value, "", re.DOTALL) is not None
    except re.error:
        return True  # a regex Python cannot read: do not ask about it alone
    return empty == (matcher.op == "=~")


def _matcher_reason(api, selector: Selector, matcher: Matcher, start: float, end: float, name: str) -> str:
    if matcher.op in ("=", "=~") and selector.metric:
        values = api.label_values(matcher.name, selector.series_match(()), start, end)
        if values is None:  # the server would not list them: ask whether the label is there at all
            if api.any_series([selector.series_match((Matcher(matcher.name, "!=", ""),))], start, end):
                return f"'{matcher}' matches no {name} series"
            values = []
        if not values:
            return f"'{matcher}' matches nothing: no {name} series has a label {matcher.name!r}"
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in values[:_VALUES_SHOWN])
        more = f" and {len(values) - _VALUES_SHOWN} more" if len(values) > _VALUES_SHOWN else ""
        return f"'{matcher}' matches no {name} series ({matcher.name} is {shown}{more})"
    return f"'{matcher}' matches no {name} series"


def _ago(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:g}h ago" if hours >= 1 else f"{seconds / 60:g}m ago"


def _run(api: PrometheusApi, expr: str, now: float) -> tuple[str, int]:
    try:
        return "", api.run(expr, now)
    except QueryRefused as err:
        return str(err), 0
