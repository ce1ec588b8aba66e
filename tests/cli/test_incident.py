"""`runbookgen incident` and the prefilled report each alert page offers for download."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import yaml
from markdown_it import MarkdownIt

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


class _Text(HTMLParser):
    """The text of rendered HTML outside <pre> and <code>, the links' targets, and the table count."""

    def __init__(self):
        super().__init__()
        self.prose, self.links, self.tables, self._code = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("pre", "code"):
            self._code += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href", ""))
        elif tag == "table":
            self.tables += 1

    def handle_endtag(self, tag):
        if tag in ("pre", "code"):
            self._code -= 1

    def handle_data(self, data):
        if not self._code:
            self.prose.append(data)


def rendered(markdown: str) -> _Text:
    """The report as GitHub would show it: CommonMark with tables (markdown-it-py)."""
    parser = _Text()
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser


def test_reports_are_portable_markdown(tmp_path):
    """No theme syntax (icons, attribute lists, admonitions) survives into the reports: rendered by a plain
    CommonMark renderer, their prose has no braces or icon shortcodes, their links are plain, tables render."""
    folder = copy_example(tmp_path)
    assert run_cli("build", cwd=folder).code == 0
    data = yaml.safe_load((REPO / "runbooks.yaml").read_text())
    reports = sorted((folder / "site" / "incidents").glob("*.md"))
    assert len(reports) == len(data["alerts"]) + 1  # and the blank template
    for report in reports:
        text = report.read_text(encoding="utf-8")
        html = rendered(text)
        prose = "".join(html.prose)
        for junk in ("{", "}", ":material-", "!!!", "???", "data-datasource"):
            assert junk not in prose, f"{report.name}: {junk!r} left in the rendered text"
        assert html.tables >= 5, report.name
        assert not re.search(r"^\s*\|?\s*\|\s*\|\s*$", text.split("\n|---", 1)[0].splitlines()[-1]), \
            f"{report.name}: a table with an empty header row"
        assert all(link.startswith(("https://", "../alerts/")) for link in html.links), (report.name, html.links)
    down = rendered((folder / "site" / "incidents" / "checkoutdown.md").read_text())
    assert any("/explore?" in link for link in down.links)
    assert "https://runbooks.example.com/checkout/alerts/checkoutdown.html" in down.links
