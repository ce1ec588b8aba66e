"""How the linter applies configured levels, waivers and patterns, and counts coverage."""

from __future__ import annotations

import pytest
from lint_helpers import alert_rule, group

from runbookgen.problems import InputError


def test_configured_level_overrides_severity_and_off_silences(project):
    project.inventory("lint:\n  checks:\n    RB001: info\n    runbook-url-missing: 'off'\nalerts: []\n")
    project.rules(group(alert_rule("Paging"), alert_rule("Quiet", "warning")))
    result = project.lint("rules")
    assert [(f.code, f.alert, f.level) for f in result.findings] == [("RB001", "Paging", "info"),
                                                                     ("RB001", "Quiet", "info")]
    assert not result.fails("error") and result.fails("info")


def test_unknown_checks_in_configuration_and_waivers_are_input_errors(project):
    project.inventory("""\
        lint:
          checks: {RB999: warning}
          waivers:
            - {alert: A, check: missing-runbok, reason: r, expires: 2030-01-01}
        alerts: []
        """)
    project.rules(group(alert_rule("A")))
    with pytest.raises(InputError) as err:
        project.lint("rules")
    assert [str(p) for p in err.value.problems] == [
        "runbooks.yaml:7:3: lint.checks: unknown check 'RB999' (did you mean 'RB019'?)",
        "runbooks.yaml:9:7: waiver names unknown check 'missing-runbok' (did you mean 'missing-runbook'?)",
    ]


def test_a_broken_runbook_url_pattern_is_an_input_error(project):
    project.inventory("lint:\n  runbook_url: 'https://rb.example.com/{team}/{slug}'\nalerts: []\n")
    project.rules(group(alert_rule("A")))
    with pytest.raises(InputError) as err:
        project.lint("rules")
    assert "runbooks.yaml:7:16: lint.runbook_url: unknown field {team} at character 24" in str(err.value)


def test_pattern_without_site_url(project):
    project.inventory("lint:\n  runbook_url: 'https://rb.example.com/{slug}'\nalerts: []\n")
    project.rules(group(alert_rule("Disk_Full", url="https://rb.example.com/disk-full")))
    result = project.lint("rules")
    assert [f.code for f in result.findings] == ["RB001"] and result.notes == ()


def test_rule_paths_from_the_inventory_are_relative_to_it(project):
    project.inventory("lint:\n  rules: ['rules/*.yaml', missing/]\nalerts: []\n")
    project.rules(group(alert_rule("A")))
    with pytest.raises(InputError) as err:
        project.lint()
    assert [str(p) for p in err.value.problems] == ["runbooks.yaml:7:3: no such file or folder: 'missing/'"]


def test_coverage_counts_alert_names_not_rules(project):
    project.inventory("lint:\n  exempt_severities: [none]\nalerts:\n"
                      "  - {name: A, severity: critical, summary: s}\n")
    project.rules(group(alert_rule("A", "warning"), alert_rule("A", "critical"), alert_rule("B"),
                        alert_rule("Watchdog", "none"),
                        "      - record: job:up:sum\n        expr: sum(up)\n"))
    c = project.lint("rules").coverage
    assert (c.alerting_rules, c.recording_rules, c.alerts, c.with_runbook, c.exempt, c.required, c.covered) == \
        (4, 1, 3, 1, 1, 2, 1)
    assert c.percent == 50.0
