"""RB010 expression-drift: a runbook's expr no longer matches its rule's."""

from __future__ import annotations

from lint_helpers import TODAY, alert_rule, group, lint_paths, entry


def test_expression_drift_ignores_formatting_and_accepts_any_variant(project):
    project.inventory("alerts:\n"
                      + entry("Same", extra="    expr: 'sum by (job) (rate(x{b=\"1\",a=\"2\"}[5m])) > 1'\n")
                      + entry("Variant", extra="    expr: up < 2\n")
                      + entry("Drifted", extra="    expr: up == 1\n"))
    project.rules(group(alert_rule("Same", expr="'sum(rate(x{a=\"2\", b=\"1\"}[5m])) by (job) > 1'"),
                        alert_rule("Variant", expr="up < 1"), alert_rule("Variant", expr="up < 2"),
                        alert_rule("Drifted", expr="up == 0")))
    found = [(f.alert, str(f.pos)) for f in project.findings("rules", code="RB010")]
    assert found == [("Drifted", "runbooks.yaml:18:11")]


def test_expression_drift_of_rules_without_a_grammar_compares_text(project):
    """A vmalert LogsQL rule cannot be parsed here; its runbook's expr is compared as text, white space aside
    (before, it was parsed as PromQL, failed, and drift went unseen)."""
    project.inventory("alerts:\n" + entry("Same", extra="    expr: 'env: \"prod\" | stats count() as n'\n")
                      + entry("Drifted", extra="    expr: 'env: \"prod\" | stats count() as n | filter n:>5'\n"))
    project.rules("groups:\n  - name: logs\n    type: vlogs\n    rules:\n"
                  + alert_rule("Same", expr="'env:   \"prod\"  | stats count() as n'")
                  + alert_rule("Drifted", expr="'env: \"prod\" | stats count() as n | filter n:>10'"))
    from runbookgen.lint import run_lint

    result = lint_paths(str(project.root / "runbooks.yaml"), (f"vmalert:{project.root / 'rules'}",), day=TODAY)
    found = [f for f in result.findings if f.code == "RB010"]
    assert [f.alert for f in found] == ["Drifted"]
    assert "filter n:>10" in found[0].message
