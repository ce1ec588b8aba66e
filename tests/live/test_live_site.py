"""build --live-results: the site shows each runbook query's last live result from a lint JSON report."""

from __future__ import annotations

import html
import html.parser
import json
import re

from support import run_cli
from test_live_lint import write_project

NO_DATA = "No data in the last 1 day"
FAILS = "Fails on Prometheus:"


def query_sections(html: str) -> dict[str, str]:
    """Query title -> the page's HTML from the query's title to the next query's title or heading."""
    parts = re.split(r'<span class="rb-query-title">', html)
    sections = {}
    for part in parts[1:]:
        title = re.sub(r"<[^>]+>", "", part.split("</strong>", 1)[0]).strip()
        sections[title] = re.split(r"<h[1-4][ >]", part.split("</strong>", 1)[1], maxsplit=1)[0]
    return sections


class Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def alert_page(project) -> str:
    return (project / "site" / "alerts" / "apidown.html").read_text(encoding="utf-8")


def test_the_site_marks_queries_without_data_and_failing_ones(prometheus, project):
    write_project(project)
    lint = run_cli("lint", "--prometheus", prometheus.url, "--format", "json", "--output", "live.json", cwd=project)
    assert lint.code == 1, lint
    result = run_cli("build", "--live-results", "live.json", cwd=project)
    assert result.code == 0, result
    sections = query_sections(alert_page(project))
    assert set(sections) >= {"Errors in the US", "Per zone", "Healthy pairs", "Requests with up", "Dashboard rate"}
    assert NO_DATA in sections["Errors in the US"] and NO_DATA in sections["Healthy pairs"]
    assert FAILS in sections["Requests with up"] and "found duplicate series" in sections["Requests with up"]
    assert NO_DATA not in sections["Dashboard rate"] and FAILS not in sections["Dashboard rate"]

    # without the report, no marks; and the cache does not keep them
    result = run_cli("build", cwd=project)
    assert result.code == 0 and NO_DATA not in alert_page(project) and FAILS not in alert_page(project), result


def test_a_query_changed_since_the_lint_run_gets_no_mark(prometheus, project):
    write_project(project)
    assert run_cli("lint", "--prometheus", prometheus.url, "-F", "json", "-o", "live.json", cwd=project).code == 1
    inventory = (project / "runbooks.yaml").read_text()
    (project / "runbooks.yaml").write_text(inventory.replace('region="us"', 'region="eu"'))
    assert run_cli("build", "--live-results", "live.json", cwd=project).code == 0
    sections = query_sections(alert_page(project))
    assert NO_DATA not in sections["Errors in the US"]  # the result was for the old expression
    assert NO_DATA in sections["Healthy pairs"]


def test_a_changed_report_rebuilds_the_page(project):
    write_project(project)
    expr = 'sum(rate(http_requests_total{job="api", region="us"}[5m]))'
    report = {"live": {"server": "http://127.0.0.1:9", "lookback": "2h", "queries": [
        {"alert": "ApiDown", "query": 0, "expr": expr, "no_data": False, "error": ""}]}}
    (project / "live.json").write_text(json.dumps(report))
    assert run_cli("build", "--live-results", "live.json", cwd=project).code == 0
    assert "No data in the last" not in alert_page(project)
    report["live"]["queries"][0]["no_data"] = True
    (project / "live.json").write_text(json.dumps(report))
    assert run_cli("build", "--live-results", "live.json", cwd=project).code == 0
    assert "No data in the last 2 hours" in query_sections(alert_page(project))["Errors in the US"]


def test_a_hostile_server_message_stays_text(project):
    write_project(project)
    expr = 'sum(rate(http_requests_total{job="api", region="us"}[5m]))'
    message = '<img src=x onerror=alert(1)> [click](javascript:alert(2)) {: onclick="alert(3)" } *bold*'
    report = {"live": {"server": "x", "lookback": "<b>1d</b>", "queries": [
        {"alert": "ApiDown", "query": 0, "expr": expr, "no_data": True, "error": message}]}}
    (project / "live.json").write_text(json.dumps(report))
    assert run_cli("build", "--live-results", "live.json", cwd=project).code == 0
    section = query_sections(alert_page(project))["Errors in the US"]
    at = section.index(FAILS)
    mark = section[section.rindex("<p", 0, at):].split("</p>", 1)[0]  # the mark's paragraph
    parsed = Elements()
    parsed.feed(mark)
    assert set(parsed.tags) == {"p", "strong"}, parsed.tags  # no img, a, em
    assert not [a for a in parsed.attrs if a[0].startswith("on") or "javascript" in (a[1] or "")]
    assert message in html.unescape(re.sub(r"<[^>]+>", "", mark))


def test_unusable_reports_are_input_errors(project):
    write_project(project)
    (project / "plain.json").write_text(json.dumps({"findings": []}))
    (project / "broken.json").write_text("{not json")
    for name, message in (("plain.json", "holds no live results: write it with runbookgen lint --prometheus URL "
                                         "--format json"),
                          ("broken.json", "not a lint JSON report"), ("absent.json", "cannot read the live results")):
        result = run_cli("build", "--live-results", name, cwd=project)
        assert result.code == 2 and f"{name}:1:1: {message}" in result.err, result
        assert "Traceback" not in result.err
