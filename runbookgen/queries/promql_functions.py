"""PromQL's functions as Prometheus 3 declares them (promql/parser/functions.go): argument types, how many
arguments may follow, the result type, and the feature flag an experimental one needs.

``variadic``: 0 = exactly the listed arguments; n > 0 = the last listed argument is optional and up to n
may be given; -1 = the last listed argument may repeat without limit.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALAR, VECTOR, MATRIX, STRING = "scalar", "instant vector", "range vector", "string"
EXPERIMENTAL_FUNCTIONS = "promql-experimental-functions"


@dataclass(frozen=True)
class Function:
    args: tuple[str, ...]
    result: str = VECTOR
    variadic: int = 0
    flag: str = ""  # the --enable-feature value it needs, "" when it is standard


def _same(names: str, function: Function) -> dict[str, Function]:
    return {name: function for name in names.split()}


_V, _M, _S = Function((VECTOR,)), Function((MATRIX,)), Function((SCALAR,))
_X = EXPERIMENTAL_FUNCTIONS

FUNCTIONS: dict[str, Function] = {
    **_same("abs ceil floor exp sqrt ln log2 log10 sgn acos acosh asin asinh atan atanh cos cosh sin sinh "
            "tan tanh deg rad absent sort sort_desc timestamp histogram_avg histogram_count histogram_sum "
            "histogram_stddev histogram_stdvar", _V),
    **_same("absent_over_time present_over_time avg_over_time count_over_time last_over_time first_over_time "
            "max_over_time min_over_time stddev_over_time stdvar_over_time sum_over_time changes delta deriv "
            "idelta increase irate rate resets", _M),
    **_same("mad_over_time ts_of_max_over_time ts_of_min_over_time ts_of_last_over_time ts_of_first_over_time",
            Function((MATRIX,), flag=_X)),
    **_same("day_of_month day_of_week day_of_year days_in_month hour minute month year",
            Function((VECTOR,), variadic=1)),
    **_same("clamp_max clamp_min", Function((VECTOR, SCALAR))),
    **_same("sort_by_label sort_by_label_desc", Function((VECTOR, STRING), variadic=-1, flag=_X)),
    **_same("step range start end", Function((), SCALAR, flag=_X)),
    **_same("min_of max_of", Function((SCALAR, SCALAR), SCALAR, variadic=-1, flag=_X)),
    "clamp": Function((VECTOR, SCALAR, SCALAR)),
    "quantile_over_time": Function((SCALAR, MATRIX)),
    "double_exponential_smoothing": Function((MATRIX, SCALAR, SCALAR), flag=_X),
    "histogram_fraction": Function((SCALAR, SCALAR, VECTOR)),
    "histogram_quantile": Function((SCALAR, VECTOR)),
    "histogram_quantiles": Function((VECTOR, STRING, SCALAR), variadic=-1, flag=_X),
    "info": Function((VECTOR, VECTOR), variadic=1, flag=_X),
    "label_join": Function((VECTOR, STRING, STRING, STRING), variadic=-1),
    "label_replace": Function((VECTOR, STRING, STRING, STRING, STRING)),
    "predict_linear": Function((MATRIX, SCALAR)),
    "round": Function((VECTOR, SCALAR), variadic=1),
    "scalar": Function((VECTOR,), SCALAR),
    "time": Function((), SCALAR),
    "pi": Function((), SCALAR),
    "vector": Function((SCALAR,)),
    "start_timestamp": Function((VECTOR,), flag=_X),
}

# Prometheus 2 only: renamed double_exponential_smoothing (and made experimental) in Prometheus 3.
PROMETHEUS_2_FUNCTIONS = {"holt_winters": Function((MATRIX, SCALAR, SCALAR))}
# Functions that only make sense in a duration (inside [...] or after offset), where step() and friends live.
DURATION_FUNCTIONS = frozenset({"step", "range", "min_of", "max_of"})

AGGREGATION_PARAMS = {"topk": SCALAR, "bottomk": SCALAR, "quantile": SCALAR, "count_values": STRING,
                      "limitk": SCALAR, "limit_ratio": SCALAR}
EXPERIMENTAL_AGGREGATIONS = {"limitk": _X, "limit_ratio": _X}
