"""The output formats, on one hand-made result."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from runbookgen.checks.base import Finding
from runbookgen.checks.registry import CHECKS
from runbookgen.lint import Coverage, LintResult
from runbookgen.problems import Position
from runbookgen.report import FORMATS, renderer
from runbookgen.report.github import escape_data, escape_property

RESULT = LintResult(
    findings=(
        Finding("RB001", "missing-runbook", "error", Position("rules/app.yaml", 12, 9),
                "alert 'CheckoutDown' has no runbook in runbooks.yaml", "CheckoutDown"),
        Finding("RB008", "invalid-promql", "error", Position("rules/app, v2.yaml", 3, 15),
                "record 'x': invalid PromQL: 100% broken\nsecond line", ""),
        Finding("RB013", "stale-review", "warning", Position("runbooks.yaml", 40, 5),
                "runbook 'CheckoutSlow' has never been reviewed (no last_reviewed date)", "CheckoutSlow"),
    ),
    coverage=Coverage(alerting_rules=14, recording_rules=3, alerts=12, with_runbook=11, exempt=1, required=11,
                      covered=10),
    notes=("skipped rules/kustomization.yaml: not a rule file",),
    files=("rules/app.yaml", "rules/app, v2.yaml"),
    skipped=(("rules/kustomization.yaml", "not a rule file"),),
    alerts=(("CheckoutDown", "rules/app.yaml"), ("CheckoutSlow", "rules/app.yaml"), ("Quiet", "rules/app.yaml")),
)


def test_text():
    assert renderer("text")(RESULT) == (
        "rules/app.yaml:12:9: error RB001 alert 'CheckoutDown' has no runbook in runbooks.yaml [missing-runbook]\n"
        "rules/app, v2.yaml:3:15: error RB008 record 'x': invalid PromQL: 100% broken second line [invalid-promql]\n"
        "runbooks.yaml:40:5: warning RB013 runbook 'CheckoutSlow' has never been reviewed (no last_reviewed date) "
        "[stale-review]\n"
        "note: skipped rules/kustomization.yaml: not a rule file\n"
        "12 alerts in 2 rule files (14 alerting rules, 3 recording rules); 11 with a runbook, 1 exempt; "
        "coverage 90.9% (10 of 11); 2 errors, 1 warning, 0 info\n")


def test_text_in_colour():
    coloured = renderer("text")(RESULT, color=True)
    assert "\033[1;31merror\033[0m RB001" in coloured and "\033[33mwarning\033[0m RB013" in coloured
    assert "\033" not in renderer("text")(RESULT)


def test_json_is_stable_and_complete():
    data = json.loads(renderer("json")(RESULT))
    assert list(data) == ["version", "tool", "findings", "summary", "notes", "skipped"]
    assert data["version"] == 1 and data["tool"]["name"] == "runbookgen"
    assert data["findings"][0] == {"code": "RB001", "name": "missing-runbook", "level": "error",
                                   "file": "rules/app.yaml", "line": 12, "column": 9, "alert": "CheckoutDown",
                                   "message": "alert 'CheckoutDown' has no runbook in runbooks.yaml"}
    assert data["summary"] == {
        "alerting_rules": 14, "recording_rules": 3, "alerts": 12, "alerts_with_runbook": 11, "alerts_exempt": 1,
        "alerts_requiring_runbook": 11, "alerts_covered": 10, "coverage_percent": 90.9, "errors": 2,
        "warnings": 1, "info": 0, "waived": 0, "rule_files": ["rules/app.yaml", "rules/app, v2.yaml"]}
    assert data["skipped"] == [{"file": "rules/kustomization.yaml", "reason": "not a rule file"}]
    assert renderer("json")(RESULT) == renderer("json")(RESULT)


def test_github_annotations_are_escaped():
    lines = renderer("github")(RESULT).splitlines()
    assert lines[0] == ("::error file=rules/app.yaml,line=12,col=9,title=RB001 missing-runbook::"
                        "alert 'CheckoutDown' has no runbook in runbooks.yaml")
    assert lines[1] == ("::error file=rules/app%2C v2.yaml,line=3,col=15,title=RB008 invalid-promql::"
                        "record 'x': invalid PromQL: 100%25 broken%0Asecond line")
    assert lines[2].startswith("::warning file=runbooks.yaml,line=40,col=5,title=RB013 stale-review::")
    assert lines[3] == "::notice::skipped rules/kustomization.yaml: not a rule file"
    assert lines[4].startswith("12 alerts in 2 rule files")
    assert escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"
    assert escape_data("a:b,c") == "a:b,c"


def test_junit_one_test_case_per_alert():
    root = ET.fromstring(renderer("junit")(RESULT))
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["CheckoutDown", "CheckoutSlow", "Quiet", "file rules/app, v2.yaml"]
    assert (suite.get("tests"), suite.get("failures"), root.get("failures")) == ("4", "2", "2")
    failure = cases["CheckoutDown"].find("failure")
    assert failure.get("type") == "RB001" and failure.get("message").startswith("alert 'CheckoutDown'")
    assert cases["CheckoutSlow"].find("failure") is None  # a warning does not fail at the default level
    assert "RB013" in cases["CheckoutSlow"].find("system-out").text
    assert cases["Quiet"].find("failure") is None and cases["Quiet"].get("classname") == "rules/app.yaml"
    strict = ET.fromstring(renderer("junit")(RESULT, fail_level="warning")).find("testsuite")
    assert strict.get("failures") == "3"


def test_sarif_for_github_code_scanning():
    log = json.loads(renderer("sarif")(RESULT))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run, = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "runbookgen"
    assert [r["id"] for r in driver["rules"]] == [c.CODE for c in CHECKS]
    rule = driver["rules"][0]
    assert rule["name"] == "missing-runbook" and rule["defaultConfiguration"] == {"level": "error"}
    assert rule["help"]["markdown"].startswith("# RB001 missing-runbook") and rule["help"]["text"]
    for described in driver["rules"]:  # GitHub shows at most 1024 characters of these
        assert 0 < len(described["fullDescription"]["text"]) <= 1024 and described["shortDescription"]["text"]
    assert rule["fullDescription"]["text"].startswith("An alert name that appears in the rule files")
    first, second, third = run["results"]
    assert first["ruleId"] == "RB001" and first["ruleIndex"] == 0 and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "rules/app.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 10}}
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rules/app%2C%20v2.yaml"
    assert third["level"] == "warning" and len(first["partialFingerprints"]["runbookgenFinding/v1"]) == 32
    for result in run["results"]:  # what GitHub requires of every result
        assert result["message"]["text"] and result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("skipped")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_handles_a_clean_result(name):
    clean = LintResult(findings=(), coverage=Coverage())
    assert renderer(name)(clean).endswith("\n")


def test_fail_levels():
    assert RESULT.fails("error") and RESULT.fails("warning") and not RESULT.fails("never")
    only_warning = LintResult(findings=RESULT.findings[2:], coverage=Coverage())
    assert not only_warning.fails("error") and only_warning.fails("warning") and only_warning.fails("info")
