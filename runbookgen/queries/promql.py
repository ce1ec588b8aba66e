"""PromQL validation and normalisation, on top of the ``promql-parser`` package.

``promql_error(expr)`` answers the only question the lint checks ask: does this
expression parse, and if not, why. Verdicts are cached by expression text, so
reading a rule file (which looks at every expression to tell PromQL from LogQL)
and checking it later parse each expression once.

Runbook queries are written for Grafana, where ``$__rate_interval`` and friends
are filled in before the query runs; ``runbook_query_error`` substitutes those
built-in variables first, so ``rate(x[$__rate_interval])`` is valid there.
"""

from __future__ import annotations

import functools
import re

import promql_parser

# Prometheus 2.x spells double_exponential_smoothing as holt_winters; promql-parser
# knows only the Prometheus 3 name. Accept both so that rules for either generation pass.
_EXTRA_FUNCTIONS = (
    promql_parser.Function("holt_winters", [promql_parser.ValueType.Matrix, promql_parser.ValueType.Scalar,
                                            promql_parser.ValueType.Scalar], promql_parser.ValueType.Vector),
)


def _register_extra_functions() -> None:
    for function in _EXTRA_FUNCTIONS:
        try:
            promql_parser.register_extra_functions([function])
        except ValueError:  # already built in (a newer promql-parser) or registered before
            pass


_register_extra_functions()

# Grafana's built-in variables and a value of the right type for each (the value does not matter to parsing).
_GRAFANA_DURATIONS = ("__rate_interval", "__interval", "__range", "__auto")
_GRAFANA_NUMBERS = ("__interval_ms", "__range_ms", "__range_s")
_GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]")


_VERDICTS: dict[str, str | None] = {}  # expression -> error; each expression is parsed once per process


def promql_error(expr: str) -> str | None:
    """Why ``expr`` is not valid PromQL, or None when it parses."""
    try:
        return _VERDICTS[expr]
    except KeyError:
        pass
    if not expr or not expr.strip():
        verdict = "the expression is empty"
    else:
        try:
            promql_parser.parse(expr)
            verdict = None
        except Exception as err:  # noqa: BLE001 - promql-parser raises ValueError and its own types from Rust
            verdict = _message(err)
    _VERDICTS[expr] = verdict
    return verdict


def remember_verdicts(verdicts: dict[str, str | None]) -> None:
    """Take verdicts computed elsewhere (a worker process), so that they are not computed again."""
    _VERDICTS.update(verdicts)


def forget_verdicts() -> None:
    _VERDICTS.clear()


def _message(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0] if "\n" in text else text


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


def runbook_query_error(expr: str) -> str | None:
    """Like ``promql_error`` for a query shown in a runbook, where Grafana variables are allowed."""
    filled = fill_grafana_variables(expr)
    error = promql_error(filled)
    if error and "$" in filled:
        names = sorted({m.group(1) or m.group(2) for m in _GRAFANA_VARIABLE.finditer(filled)
                        if m.group(1) or m.group(2)})
        if names:
            shown = ", ".join(f"${n}" for n in names)
            noun = "variable" if len(names) == 1 else "variables"
            return f"{error} (it uses the template {noun} {shown}, which nothing fills in outside a dashboard)"
    return error


@functools.lru_cache(maxsize=4096)
def normalize_promql(expr: str) -> str | None:
    """A canonical spelling of ``expr``, or None when it does not parse.

    Spacing, redundant line breaks, ``sum(x) by (a)`` versus ``sum by (a) (x)`` and the order of
    label matchers inside one selector do not change what a query means, so they do not count.
    """
    try:
        tree = promql_parser.parse(expr)
        return str(promql_parser.transform(tree, post_visit=_sort_matchers))
    except Exception:  # noqa: BLE001 - an invalid expression has no normal form
        return None


def _sort_matchers(node):
    if not isinstance(node, promql_parser.VectorSelector):
        return None
    matchers = node.matchers
    node.matchers = promql_parser.Matchers(sorted(matchers.matchers, key=str)).with_or_matchers(
        matchers.or_matchers)
    return promql_parser.parse(str(node))  # transform() keeps the original unless given a new node
