"""PromQL: the one entry point every caller uses (rules, runbook queries, dialect detection, drift, export).

``promql_problem(expr, target)`` gives None for a valid query or a ``PromQLError`` (message, 0-based
offset, 1-based line and column inside the query, the tokens the parser expected there);
``promql_error(expr)`` gives just the message. The parser is our own (``promql.lark``, ``promql_lexer``,
``promql_semantics``), written against Prometheus 3's grammar and its own test cases, because the
promql-parser package gives no positions, lags behind Prometheus's syntax and can crash the process.

``PromQLTarget`` says which Prometheus is targeted: the major version (2 still knows ``holt_winters``)
and the ``--enable-feature`` flags that are on (experimental functions, duration expressions, extended
range selectors, fill modifiers); without its flag, experimental syntax is an error, as in Prometheus.

Most valid queries are read by a fast path (``promql_fast``) that calls the same checks and builds the
same analysis; the LALR parser reads what it declines, which includes every syntax error (message,
position, expected tokens). Bounds are checked before either sees a query (``query_bounds``), and nothing recurses,
so no query can exhaust the stack. Analyses are cached by expression text, so reading a rule file
(which looks at every expression to tell PromQL from LogQL) and checking it later parse each once.

Runbook queries are written for Grafana, where ``$__rate_interval`` and friends are filled in before
the query runs; ``runbook_query_error`` substitutes those built-in variables first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runbookgen.queries import kept_verdicts
from runbookgen.queries.promql_lexer import PromQLError, error_at
from runbookgen.queries.query_bounds import bounds_problem

__all__ = ["PromQLError", "PromQLTarget", "VectorSelector", "fill_grafana_variables", "forget_verdicts",
           "keep_verdicts", "load_kept_verdicts", "normalize_promql", "promql_error", "promql_problem", "remember_verdicts", "runbook_query_error",
           "vector_selectors"]

MAX_LENGTH = 1 << 18  # Prometheus has no limit of its own; 256 KiB is far beyond any real query


@dataclass(frozen=True)
class PromQLTarget:
    """The Prometheus a query is checked for: its major version and the feature flags that are on."""

    major: int = 3
    features: frozenset[str] = field(default_factory=frozenset)


DEFAULT_TARGET = PromQLTarget()


@dataclass(frozen=True)
class VectorSelector:
    """A vector selector in a query: metric name ("" when only matchers), label matchers as
    (name, op, value) with op one of = != =~ !~, and where it starts and ends in the query (0-based)."""

    metric: str
    matchers: tuple[tuple[str, str, str], ...]
    start: int
    end: int


@dataclass(frozen=True)
class _Analysis:
    error: PromQLError | None
    features: tuple[tuple[str, int, str], ...] = ()
    selectors: tuple[VectorSelector, ...] = ()
    normal: str | None = None


_PARSER: list = []  # (fast_parse, Semantics()), made on the first query read: a run whose every verdict was kept
# (a rerun) never imports the parser (``tests/queries/test_promql_parser_on_demand.py``)


def _parser():
    if not _PARSER:
        from runbookgen.queries.promql_fast import fast_parse
        from runbookgen.queries.promql_semantics import Semantics

        _PARSER.append((fast_parse, Semantics()))
    return _PARSER[0]


def _analyse(expr: str, major: int, *, fast: bool = True) -> _Analysis:
    """The analysis of ``expr``: by the fast path when it reads the query (``promql_fast``), else by the
    LALR parser; ``fast=False`` asks the LALR parser alone (the two must agree, see the tests)."""
    if _only_comments(expr):
        return _Analysis(error_at(expr, "no expression found in input", 0))
    too_big = bounds_problem(expr, MAX_LENGTH, "Prometheus")
    if too_big is not None:
        return _Analysis(error_at(expr, too_big[0], too_big[1]))
    fast_parse, semantics = _PARSER[0] if _PARSER else _parser()
    semantics.reset(major)
    result = fast_parse(expr, semantics) if fast else None
    if result is None:  # the LALR parser reads what the fast path declines, and answers every error
        semantics.reset(major)
        from runbookgen.queries import promql_lalr  # lark is imported only when a query needs the LALR parser

        result = promql_lalr.parse(expr, semantics)
        if isinstance(result, PromQLError):
            return _Analysis(result)
    return _analysis_of(expr, result, semantics)


def _analysis_of(expr: str, result, semantics) -> _Analysis:
    errors = [e for e in semantics.errors if e is not None]
    if errors:
        message, offset = errors[0]
        return _Analysis(error_at(expr, message, offset))
    selectors = tuple(VectorSelector(s["name"], tuple(s["matchers"]), s["start"], s["end"])
                      for s in semantics.selectors)
    return _Analysis(None, tuple(semantics.features), selectors, result.text)


def _only_comments(expr: str) -> bool:
    return all(not line.strip() or line.strip().startswith("#") for line in expr.split("\n"))


_ANALYSES: dict[tuple[str, int], _Analysis] = {}
_KEPT: dict[str, list] = {}  # raw entries of the verdicts kept from earlier runs (see kept_verdicts)
_NEW: set[tuple[str, int]] = set()  # analyses made in this run that the kept file lacks


def _analysis(expr: str, major: int) -> _Analysis:
    found = _ANALYSES.get((expr, major))
    if found is None:
        raw = _KEPT.get(kept_verdicts.entry_key(expr, major)) if _KEPT else None
        if raw is not None:
            found = kept_verdicts.decode(raw, expr, _Analysis, PromQLError, VectorSelector)
        if found is None:
            found = _analyse(expr, major)
            _NEW.add((expr, major))
        _ANALYSES[(expr, major)] = found
    return found


def load_kept_verdicts() -> None:
    """Use the analyses kept by earlier runs (``keep_verdicts``) instead of parsing those queries again."""
    _KEPT.update(kept_verdicts.read_store(kept_verdicts.store_path()))


def keep_verdicts() -> None:
    """Keep this run's analyses for the next one, when it made any that were not kept yet."""
    if not _NEW:
        return
    entries = dict(_KEPT) if len(_KEPT) + len(_ANALYSES) <= kept_verdicts.MAX_ENTRIES else {}
    entries.update((kept_verdicts.entry_key(*k), kept_verdicts.encode(a)) for k, a in _ANALYSES.items())
    kept_verdicts.write_store(kept_verdicts.store_path(), entries)
    _KEPT.update(entries)
    _NEW.clear()


def promql_problem(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> PromQLError | None:
    """Why ``expr`` is not valid PromQL for ``target``, with where in ``expr``; None when it is valid."""
    return _problem_of(expr, _analysis(expr, target.major), target)


def _problem_of(expr: str, analysis: _Analysis, target: PromQLTarget) -> PromQLError | None:
    if analysis.error is not None:
        return analysis.error
    for flag, offset, what in analysis.features:
        if flag not in target.features:
            return error_at(expr, f"{what} is experimental: Prometheus needs --enable-feature={flag} "
                                f"(list it in the inventory's lint.prometheus.features)", offset)
    return None


def promql_error(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> str | None:
    """Why ``expr`` is not valid PromQL, or None when it parses."""
    problem = promql_problem(expr, target)
    return problem.message if problem is not None else None


def remember_verdicts(verdicts: dict) -> None:
    """Take analyses computed elsewhere (a worker process), so that they are not computed again."""
    _ANALYSES.update(verdicts)
    _NEW.update(k for k in verdicts if kept_verdicts.entry_key(*k) not in _KEPT)


def computed_verdicts(exprs) -> dict:
    """The analyses of ``exprs`` made in this process, to hand to ``remember_verdicts`` in another (a kept
    one is left out: the other process has the kept verdicts too)."""
    return {key: value for key, value in _ANALYSES.items() if key[0] in exprs and key in _NEW}


def forget_verdicts() -> None:
    """Forget every analysis, the kept ones included (the kept file itself stays)."""
    _ANALYSES.clear()
    _KEPT.clear()
    _NEW.clear()


def vector_selectors(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> list[VectorSelector]:
    """Every vector selector in ``expr`` in the order written; [] when ``expr`` is not valid PromQL."""
    analysis = _analysis(expr, target.major)
    return list(analysis.selectors) if analysis.error is None else []


def normalize_promql(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> str | None:
    """A canonical spelling of ``expr``, or None when it does not parse.

    Spacing, comments, ``sum(x) by (a)`` versus ``sum by (a) (x)``, the order of label matchers inside
    one selector and of labels in a grouping do not change what a query means, so they do not count.
    """
    analysis = _analysis(expr, target.major)
    return analysis.normal if analysis.error is None else None


# Grafana's built-in variables and a value of the right type for each (the value does not matter to parsing).
_GRAFANA_DURATIONS = ("__rate_interval", "__interval", "__range", "__auto")
_GRAFANA_NUMBERS = ("__interval_ms", "__range_ms", "__range_s")
_GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]")


def fill_grafana_variables(expr: str) -> str:
    """Replace Grafana's built-in interval variables with sample values; leave others untouched."""

    def substitute(match: re.Match) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        if name in _GRAFANA_DURATIONS:
            return "5m"
        if name in _GRAFANA_NUMBERS:
            return "300"
        return match.group(0)

    return _GRAFANA_VARIABLE.sub(substitute, expr) if "$" in expr or "[[" in expr else expr


def runbook_query_problem(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> PromQLError | None:
    """Like ``promql_problem`` for a query shown in a runbook, where Grafana variables are allowed.

    Positions refer to ``expr`` as written only while no variable was filled in; otherwise to the start."""
    filled = fill_grafana_variables(expr)
    problem = promql_problem(filled, target)
    if problem is None:
        return None
    if filled != expr:
        problem = PromQLError(problem.message, 0, 1, 1, problem.expected)
    if "$" in filled:
        names = sorted({m.group(1) or m.group(2) for m in _GRAFANA_VARIABLE.finditer(filled)
                        if m.group(1) or m.group(2)})
        if names:
            shown = ", ".join(f"${n}" for n in names)
            noun = "variable" if len(names) == 1 else "variables"
            message = f"{problem.message} (it uses the template {noun} {shown}, which nothing fills in outside a " \
                      "dashboard)"
            return PromQLError(message, problem.offset, problem.line, problem.col, problem.expected)
    return problem


def runbook_query_error(expr: str, target: PromQLTarget = DEFAULT_TARGET) -> str | None:
    problem = runbook_query_problem(expr, target)
    return problem.message if problem is not None else None
