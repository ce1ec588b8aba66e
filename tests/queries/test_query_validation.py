"""PromQL and LogQL validation: Loki's documented examples, the lexer's corners, and promtool's verdicts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from runbookgen.queries.logql import logql_error, logql_kind, logql_tokens
from runbookgen.queries.promql import fill_grafana_variables, normalize_promql, promql_error, runbook_query_error

FIXTURES = Path(__file__).parent / "fixtures"
LOKI_EXAMPLES = yaml.safe_load((FIXTURES / "logql" / "loki-docs-examples.yaml").read_text(encoding="utf-8"))
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (Debian package prometheus)")


@pytest.mark.parametrize("example", LOKI_EXAMPLES, ids=[f"{e['page']}:{n}" for n, e in enumerate(LOKI_EXAMPLES)])
def test_loki_documentation_examples(example):
    error = logql_error(example["query"])
    if example["valid"]:
        assert error is None, f"{example['query']!r}: {error}"
    else:
        assert error is not None and example["error"] in error.message


@pytest.mark.parametrize("query, kind", [
    ('{app="x"}', "log"),
    ('{app="x"} |= "a" | json', "log"),
    ('rate({app="x"}[5m])', "metric"),
    ('sum by (a) (count_over_time({app="x"}[1h])) / 2', "metric"),
    ("1 + 1", "literal"),
])
def test_kinds(query, kind):
    assert logql_kind(query) == kind


@pytest.mark.parametrize("query, message, line, col", [
    ('{app="x"} |= "a', "string literal not terminated", 1, 14),
    ('{app="x"}\n  | json\n  | bad-label = "x"', "syntax error: unexpected '-'", 3, 8),
    ("{app='x'}", "single quotes do not make a string in LogQL", 1, 6),
    ('rate({app="x"}[5m:1m])', "not a valid duration: [5m:1m]", 1, 15),
    ('rate({app="x"}[5m]', "syntax error: unexpected end of the query; expected", 1, 19),
    ('topk(sum(rate({app="x"}[5m])))', "topk needs a parameter", 1, 1),
    ('topk(0.5, sum(rate({app="x"}[5m])))', "topk's parameter must be a whole number greater than 0", 1, 6),
    ('sum(1, rate({app="x"}[5m]))', "sum takes no parameter", 1, 5),
    ('sort by (a) (rate({app="x"}[5m]))', "sort does not allow grouping", 1, 6),
    ('count_over_time({app="x"}[5m]) by (a)', "count_over_time does not allow grouping", 1, 32),
    ('{app="x"} | pattern "<a><b>"', "pattern captures <a> and <b> need a literal between them", 1, 21),
    ('{app="x"} | pattern "<_> x"', "needs at least one named capture", 1, 21),
    ('{app="x"} | regexp "(\\\\d+)"', "needs at least one named capture", 1, 20),
    ('{app="x"} + 1', "the left side of '+' is a log query", 1, 1),
    ('rate({app="x"}[5m]) and 1', "'and' needs metric queries on both sides, not a number", 1, 21),
    ('{app="x"} |= "a" /* never closed', "comment not terminated", 1, 18),
    ("{}", "a stream selector needs at least one matcher", 1, 1),
    ('{app="x"} | logfmt --bogus', "syntax error: unexpected label name 'bogus'; expected a number", 1, 22),
])
def test_errors_and_where_they_are(query, message, line, col):
    error = logql_error(query)
    assert error is not None and message in error.message, error
    assert (error.line, error.col) == (line, col)


def test_lexer_follows_loki():
    tokens = logql_tokens('sum by (level) (rate({app="x"} | logfmt --strict | rate > 5 | size > 20KB '
                          '| took > 1.5h [5m])) # trailing comment')
    kinds = [k for k, _ in tokens]
    assert kinds[:2] == ["VECTOR_OP", "BY"]  # sum followed by "by (" is the aggregation
    assert ("IDENTIFIER", "rate") in tokens  # rate not followed by "(" is a label name
    assert ("FLAG", "--strict") in tokens and ("BYTES", "20KB") in tokens and ("DURATION", "1.5h") in tokens
    assert ("RANGE", "5m") in tokens and kinds[-1] == "CLOSE_PAREN"
    assert logql_tokens('{a="b"}  |=  "c"') == logql_tokens('{a="b"} |= "c" // comment')
    assert logql_tokens('{a="b"} |= "\\q"') is None  # invalid escape


def test_go_string_escapes():
    assert logql_error('{a="b"} |= "tab\\there \\u00e9 \\x41 \\101 \\"q\\""') is None
    assert logql_error('{a="b"} |= `raw \\w+ "quotes"`') is None
    assert "invalid escape sequence \\d" in logql_error('{a="b"} |~ "\\d+"').message
    assert logql_error('{a="b"} |= "\\ud800"') is not None  # a surrogate is not a character


def test_length_limit_is_lokis_since_3_0():
    assert logql_error('{app="x"} |= "' + "a" * 5200 + '"') is None  # Loki 2's 5,120 no longer holds
    too_long = '{app="x"} |= "' + "a" * 131072 + '"'
    assert logql_error(too_long).message == "the query is 131,087 bytes long; Loki accepts at most 131,071"
    assert "bytes long" in logql_error('{app="x"} |= "' + "é" * 65536 + '"').message  # bytes, not characters


def test_rule_expressions_must_be_metric_queries():
    assert logql_error('{app="x"} |= "a"', metric=True).message.startswith("a log query cannot be a rule's")
    assert logql_error('sum(rate({app="x"}[5m])) > 1', metric=True) is None


# ---- PromQL ---------------------------------------------------------------------------------------------

VALID_PROMQL = [
    "up == 0",
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
    "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
    'absent(up{job="api"})',
    "predict_linear(node_filesystem_free_bytes[6h], 4 * 3600) < 0",
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    "avg_over_time(up[10m:1m])",
    "up offset 5m",
    "count by (version) (build_info) > 1 unless on (version) vector(1)",
    "time() - process_start_time_seconds > 3600",
    "sum without (instance) (rate(x_total[5m]))",
    "topk(3, rate(x_total[5m]))",
    "quantile_over_time(0.9, x[5m])",
    "-x",
    'max_over_time(alertmanager_config_last_reload_successful{job="am"}[5m]) == 0',
    "x > bool 1",
    'x # a comment\n  and on (job) y',
]
INVALID_PROMQL = [
    "rate(x)",
    "sum(x",
    "foo(x)",
    'x{a="b"',
    '"a" + 1',
    "x and 1",
    r'label_replace(up, "a", "$1", "b", "(v[0-9]*\.[0-9]*).*")',
    "x[5m] + 1",
    "up ==",
    "x[5x]",
    "rate(x[5m], 1)",
    "absent_over_time(x)",
    "topk(x)",
    "",
]


@pytest.mark.parametrize("expr", VALID_PROMQL)
def test_valid_promql(expr):
    assert promql_error(expr) is None


@pytest.mark.parametrize("expr", INVALID_PROMQL)
def test_invalid_promql(expr):
    assert promql_error(expr)


def _promtool_verdicts(tmp_path: Path, exprs: list[str]) -> list[bool]:
    """promtool check rules on one file per expression: True where it accepts the expression."""
    files = []
    for n, expr in enumerate(exprs):
        path = tmp_path / f"r{n}.yaml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [{"alert": "A", "expr": expr}]}]}))
        files.append(path)
    out = subprocess.run([PROMTOOL, "check", "rules", *map(str, files)], capture_output=True, text=True,
                         timeout=120).stdout
    return [f"Checking {path}\n  SUCCESS" in out for path in files]


@needs_promtool
def test_promql_verdicts_agree_with_promtool(tmp_path):
    exprs = VALID_PROMQL + [e for e in INVALID_PROMQL if e]
    ours = [promql_error(e) is None for e in exprs]
    assert ours == _promtool_verdicts(tmp_path, exprs)


def test_grafana_variables_in_runbook_queries():
    assert fill_grafana_variables("rate(x[$__rate_interval]) * ${__range_s}") == "rate(x[5m]) * 300"
    assert runbook_query_error("sum(rate(x[$__interval]))") is None
    assert "template variable $env" in runbook_query_error('x{env="a"}[$env]')


def test_normal_form_ignores_spacing_and_matcher_order():
    assert normalize_promql('sum(rate(x{b="1",a="2"}[5m])) by (job)') == \
        normalize_promql('sum by (job) (\n  rate(x{a="2", b="1"}[5m])\n)')
    assert normalize_promql("up == 0") != normalize_promql("up == 1")
    assert normalize_promql("sum(") is None


def test_the_analysed_logql_grammar_is_kept_between_runs_and_a_damaged_copy_is_rebuilt(cli, tmp_path):
    """Analysing the grammar costs 0.1 s a run; it is kept in the user's cache folder. The verdicts must not
    depend on whether that copy exists, was just written, or was damaged (a crash mid-write, a full disk)."""
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice: {name: Demo}\nlint: {rules: [loki.yaml], exempt_severities: [warning]}\nalerts: []\n",
        encoding="utf-8")
    (tmp_path / "loki.yaml").write_text(
        "groups:\n  - name: logs\n    rules:\n"
        "      - alert: Errors\n        expr: 'sum(rate({app=\"api\"} |= \"error\" [5m])) > 0'\n"
        "        labels: {severity: warning}\n"
        "      - alert: Broken\n        expr: 'sum(rate({app=\"api\"} |= \"error\" [5m]) > 0'\n"
        "        labels: {severity: warning}\n", encoding="utf-8")
    cache = tmp_path / "user-cache"
    env = {"XDG_CACHE_HOME": str(cache)}

    cold = cli("lint", "--format", "json", cwd=tmp_path, env=env)
    kept = list((cache / "runbookgen" / "grammars").glob("logql-*.pickle"))
    assert len(kept) == 1 and kept[0].stat().st_size > 1000, cold
    assert not list((cache / "runbookgen" / "grammars").glob("*.tmp"))
    warm = cli("lint", "--format", "json", cwd=tmp_path, env=env)
    kept[0].write_bytes(kept[0].read_bytes()[:500])  # cut short
    damaged = cli("lint", "--format", "json", cwd=tmp_path, env=env)
    unwritable = cli("lint", "--format", "json", cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "loki.yaml")})

    assert cold.code == 1 and "invalid LogQL" in cold.out and "Broken" in cold.out, cold
    assert warm.out == cold.out and damaged.out == cold.out and unwritable.out == cold.out
    assert warm.code == damaged.code == unwritable.code == 1
    assert kept[0].stat().st_size > 1000  # the damaged copy was replaced by a whole one


@pytest.mark.parametrize("query", [
    "1 > 1 > 1", "1 == 1", '{variants="a"}', 'sum by (variants, of) (count_over_time({foo="bar"}[5m]))',
    '{app="x"} | logfmt | of = "a" | variants = "b"', '{app="x"} | logfmt | status > 0x1p3',
    'sum(rate({app="x"}[5m])) > 1_000.5',
])
def test_loki_accepts(query):
    assert logql_error(query) is None


@pytest.mark.parametrize("query, message, col", [
    ('{app="x"} | logfmt | status_code > 0x10', "unable to parse literal as a float: 0x10", 36),
    ('label_replace(rate({a="b"}[5m]), "a", "$1", "b", "^x\\\\q")', "invalid regex in label_replace", 50),
])
def test_loki_refuses(query, message, col):
    error = logql_error(query)
    assert error is not None and message in error.message and error.col == col, error


def test_logql_depth_is_bounded_before_parsing():
    selector = 'count_over_time({app="x"}[5m])'
    deep_but_fine = "sum(" * 100 + " + ".join([selector] * 100) + ")" * 100
    assert logql_error(deep_but_fine) is None
    assert "more than 256 levels deep" in logql_error(" + ".join([selector] * 300)).message
    assert "256 parentheses and brackets deep" in logql_error("sum(" * 300 + selector + ")" * 300).message


def test_the_inventory_names_the_loki_version(cli, tmp_path):
    long_query = 'sum(count_over_time({app="x"} |= "' + "a" * 6000 + '" [5m])) > 0'
    (tmp_path / "loki").mkdir()
    (tmp_path / "loki" / "rules.yaml").write_text(yaml.safe_dump(
        {"groups": [{"name": "g", "rules": [{"alert": "Long", "expr": long_query}]}]}), encoding="utf-8")

    def lint(settings: dict):
        (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump({
            "version": 1, "service": {"name": "S"},
            "lint": {"rules": ["loki/rules.yaml"], "checks": {"missing-runbook": "off"}, **settings}}),
            encoding="utf-8")
        return cli("lint", cwd=tmp_path)

    assert "RB009" not in lint({}).out  # Loki 3 takes up to 131,071 bytes
    assert "Loki 2 accepts at most 5,119" in lint({"loki": {"version": 2}}).out
