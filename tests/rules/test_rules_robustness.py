"""Whatever a rule file or a query holds, reading and checking it returns values; nothing raises."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbookgen.problems import InputError
from runbookgen.queries.logql import logql_error
from runbookgen.queries.promql import promql_error
from runbookgen.rules import read_rules

QUERY_ALPHABET = string.ascii_letters[:8] + string.digits[:4] + ' {}()[]|=!~"`\'#,.+-*/<>^%_:\n\\$'
YAML_ALPHABET = "groups:- name rules alert record expr for labels {}[]'\"&*!|>#\n\t {{ }}: ~ 5m up == 0"

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))
structures = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["groups", "name", "rules", "alert", "record", "expr", "for", "labels",
                                     "annotations", "kind", "spec", "items", "x", "apiVersion", "title", "data",
                                     "model", "refId", "condition", "grafana_alert", "expressions", "metric",
                                     "type", "concurrency", "datasource"]), inner, max_size=5)),
    max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=QUERY_ALPHABET, max_size=60))
def test_queries_never_raise(text):
    error = logql_error(text)
    assert error is None or (error.message and error.line >= 1 and error.col >= 1)
    assert promql_error(text) is None or isinstance(promql_error(text), str)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_any_text_as_a_rule_file(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    ruleset = read_rules([str(path)])
    assert all(p.message for p in ruleset.problems + ruleset.rule_problems)


KINDS = st.sampled_from([("monitoring.coreos.com/v1", "PrometheusRule"), ("operator.victoriametrics.com/v1beta1", "VMRule"),
                         ("loki.grafana.com/v1", "AlertingRule"), ("loki.grafana.com/v1", "RecordingRule"),
                         ("rules.alerting.grafana.app/v1beta1", "AlertRule"),
                         ("rules.alerting.grafana.app/v1beta1", "RecordingRule"), ("v1", "List")])
RULERS = st.sampled_from(["", "prometheus:", "loki:", "vmalert:", "thanos:", "mimir:", "grafana:"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(structures, st.builds(lambda kind, spec: {"apiVersion": kind[0], "kind": kind[1], "spec": spec,
                                                         "items": [spec]}, KINDS, structures),
                 st.builds(lambda groups: {"apiVersion": 1, "groups": groups}, structures)), RULERS)
def test_any_structure_as_a_rule_file(tmp_path, data, ruler):
    import yaml

    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        ruleset = read_rules([ruler + str(path)])
    except InputError:  # pragma: no cover - read_rules reports, it does not raise
        raise AssertionError("read_rules raised") from None
    for rule in ruleset.rules:
        assert rule.kind in ("alert", "record") and rule.line >= 1 and isinstance(rule.expr, str)
