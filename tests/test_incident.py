"""`runbookgen incident` and the prefilled report each alert page offers for download."""

from __future__ import annotations

import yaml

from support import REPO, run_cli
from test_build import copy_example


def first_alert_with_queries():
    data = yaml.safe_load((REPO / "runbooks.yaml").read_text())
    return data, next(a for a in data["alerts"] if a.get("queries"))


def test_incident_report_is_prefilled_for_the_alert(cli):
    data, alert = first_alert_with_queries()
    result = cli("incident", alert["name"], "--started-at", "2026-11-24T03:12Z", cwd=REPO)
    assert result.code == 0, result
    text = result.out
    assert text.startswith(f"# Incident report: {alert['name']}\n")
    severity = next(s for s in data["severities"] if s["id"] == alert["severity"])
    assert f"| Severity | {severity['name']} |" in text
    assert f"| Owner | {alert['owner']} |" in text
    assert f"| Started (UTC) | 2026-11-24 03:12 |" in text
    assert f"| 2026-11-24 03:12 | {alert['name']} fired | |" in text
    assert f"(https://runbooks.example.com/checkout/alerts/{alert['name'].lower()}.html)" in text
    for query in alert["queries"]:
        assert query["expr"].strip() in text
    assert "grafana" in text and "/explore?" in text
    for heading in ("## Summary", "## Responders", "## Impact", "## Timeline", "## Root cause and contributing factors",
                    "## Messaging", "## What went well", "## What went poorly", "## Action items"):
        assert heading in text


def test_incident_report_written_to_a_file(cli, tmp_path):
    _, alert = first_alert_with_queries()
    out = tmp_path / "report.md"
    result = cli("incident", alert["name"], "--out", out, cwd=REPO)
    assert result.code == 0, result
    assert result.out == ""
    assert out.read_text().startswith(f"# Incident report: {alert['name']}\n")


def test_unknown_alert_gets_a_did_you_mean(cli):
    _, alert = first_alert_with_queries()
    typo = alert["name"][:-1]
    result = cli("incident", typo, cwd=REPO)
    assert result.code == 2
    assert result.err.startswith(f"runbooks.yaml:1:1: no alert named '{typo}' in this inventory "
                                 f"(did you mean '{alert['name']}'?)")


def test_bad_start_time_is_a_usage_error(cli):
    _, alert = first_alert_with_queries()
    result = cli("incident", alert["name"], "--started-at", "yesterday", cwd=REPO)
    assert result.code == 2 and "is not a time like" in result.err


def test_site_offers_the_same_report_for_download(tmp_path):
    data, alert = first_alert_with_queries()
    folder = copy_example(tmp_path)
    assert run_cli("build", cwd=folder).code == 0
    slug = alert["name"].lower()
    download = (folder / "site" / "incidents" / f"{slug}.md").read_text()
    printed = run_cli("incident", alert["name"], cwd=folder).out
    assert download == printed
    page = (folder / "site" / "alerts" / f"{slug}.html").read_text()
    assert f'href="../incidents/{slug}.md" download="incident-{slug}.md"' in page
