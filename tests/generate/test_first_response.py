"""What an alert page offers first: who to call for its severity, steps that follow procedures, each query
once. Built through the CLI from small inventories; the browser tests check the same pages on screen."""

from __future__ import annotations

import html
import re

import yaml

from support import run_cli

INVENTORY = """\
version: 1
service:
  name: Shop
  team: shop-sre
  escalation:
    - name: Shop primary on-call
      contact: PagerDuty service Shop
      url: https://example.pagerduty.com/services/PSHOP
      notes: Paged by every P1 alert; acknowledge within 5 minutes.
    - name: Incident commander
      after: 1h
      notes: Takes over any P1 still open after an hour.
grafana:
  url: https://grafana.example.com
datasources:
  - name: prometheus
    type: prometheus
    uid: prom
    url: https://prometheus.example.com
severities:
  - id: P1
    name: P1 High
    pages: true
    response_time: 15m
  - id: P2
    name: P2 Warning
    pages: false
    response_time: 4h
    escalation:
      - name: Shop channel
        contact: "Slack #shop"
        url: https://example.slack.com/archives/CSHOP
        notes: Working hours only.
  - id: P3
    name: P3 Info
    pages: false
    response_time: 1w
    {p3_escalation}
procedures:
  - id: roll_back
    title: Roll back the shop
    steps:
      - step: Undo the rollout.
        command: kubectl rollout undo deploy/shop
alerts:
  - name: ShopDown
    severity: P1
    summary: The shop is down.
    expr: up{{job="shop"}} == 0
    queries:
      - id: up
        title: Is the shop up?
        expr: up{{job="shop"}}
        description: 1 is up, 0 is down.
      - id: errors
        title: Errors per second
        expr: sum(rate(shop_errors_total[5m]))
      - title: Requests per second
        expr: sum(rate(shop_requests_total[5m]))
    investigation:
      - step: Check the targets.
        query: up
      - step: Check the errors.
        query: errors
    causes:
      - cause: A crash loop
        query: up
    mitigation:
      immediate:
        - step: Roll back.
          command: kubectl rollout undo deploy/shop
          procedure: {procedure}
    verification:
      - step: Targets are up again.
        query: up
  - name: ShopSlow
    severity: P2
    summary: The shop is slow.
  - name: ShopCertExpiring
    severity: P3
    summary: The shop's certificate expires soon.
"""


def write(folder, procedure="roll_back", p3_escalation=""):
    (folder / "runbooks.yaml").write_text(INVENTORY.format(procedure=procedure, p3_escalation=p3_escalation))
    return folder


def build(folder):
    result = run_cli("build", "--docs-dir", "md", cwd=folder)
    assert result.code == 0, result
    return lambda page: (folder / "md" / page).read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The Markdown below a "## heading" (which may carry an attribute list: { data-search-exclude="1" })."""
    return re.split(rf"## {re.escape(heading)}(?: {{[^}}\n]*}})?\n", text, maxsplit=1)[1].split("\n## ", 1)[0]


def test_a_step_naming_an_unknown_procedure_is_an_error_at_its_line(tmp_path):
    write(tmp_path, procedure="rollback")
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2, result
    line = next(n for n, text in enumerate((tmp_path / "runbooks.yaml").read_text().splitlines(), 1)
                if "procedure: rollback" in text)
    assert (f"runbooks.yaml:{line}:22: alert 'ShopDown': step refers to procedure 'rollback', which is not in "
            "this inventory (did you mean 'roll_back'?)") in result.err


def test_a_severity_escalation_must_be_contacts_or_service(tmp_path):
    write(tmp_path, p3_escalation="escalation: everyone")
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2, result
    assert "severities[2].escalation: 'everyone' must be a list of contacts, or `service`" in result.err


def test_a_step_links_to_the_procedure_it_follows_and_the_procedure_lists_it(tmp_path):
    page = build(write(tmp_path))
    alert = page("alerts/shopdown.md")
    assert "Follow the procedure [Roll back the shop](../procedures/roll-back.md)." in alert
    procedure = page("procedures/roll-back.md")
    assert procedure.startswith("# Roll back the shop\n")
    assert "[ShopDown](../alerts/shopdown.md)" in section(procedure, "Alerts that use it")
    assert "(procedures/roll-back.md)" in page("procedures.md")


def test_a_paging_alert_shows_the_service_chain_with_links_and_notes(tmp_path):
    page = build(write(tmp_path))
    alert = page("alerts/shopdown.md")
    first = alert.split('<div class="rb-first-response"', 1)[1].split('class="rb-first-report"', 1)[0]
    assert "pages on-call" in first
    assert '<a href="https://example.pagerduty.com/services/PSHOP">Shop primary on-call</a>' in first
    chain = section(alert, "Who to call")
    assert "[**Shop primary on-call**](https://example.pagerduty.com/services/PSHOP)" in chain
    assert "Paged by every P1 alert; acknowledge within 5 minutes." in chain
    assert "Incident commander" in chain and "after 1 hour" in chain


def test_a_non_paging_alert_gets_its_severity_chain_or_none(tmp_path):
    page = build(write(tmp_path))
    warning = page("alerts/shopslow.md")
    assert "does not page" in warning
    assert "Shop channel" in section(warning, "Who to call") and "Working hours only." in warning
    info = page("alerts/shopcertexpiring.md")
    assert "does not page" in info
    for text in (warning, info):
        assert "Shop primary on-call" not in text and "Incident commander" not in text


def test_a_severity_may_choose_the_service_chain(tmp_path):
    page = build(write(tmp_path, p3_escalation="escalation: service"))
    info = section(page("alerts/shopcertexpiring.md"), "Who to call")
    assert "Shop primary on-call" in info and "Incident commander" in info


def test_each_query_and_the_rule_expression_are_written_out_once(tmp_path):
    page = build(write(tmp_path))
    alert = page("alerts/shopdown.md")
    shown = html.unescape(re.sub(r"<[^>]+>", "", alert))  # code blocks are highlighted HTML: their text
    for expr in ('up{job="shop"}\n', "sum(rate(shop_errors_total[5m]))\n", "sum(rate(shop_requests_total[5m]))\n",
                 'up{job="shop"} == 0\n'):
        assert shown.count(expr) == 1, expr
    # later uses name the query and keep its Explore link; the unused one is listed after the investigation
    assert alert.count("Run <strong>Is the shop up?</strong> (shown above)") == 2
    assert alert.count("1 is up, 0 is down.") == 1  # its description goes with it
    assert "Requests per second" in section(alert, "Investigate")
    # (each title names its query and its link templates; the page's script builds the links, see
    # tests/browser/test_query_links.py)
    assert len(re.findall(r'class="rb-query-title" data-q="[0-9r]+" data-t="[0-9 ]+"', alert)) >= 4
    # the table of contents lists sections, not queries
    assert not re.search(r"^#{3,} .*(Is the shop up|Errors per second|Requests per second)", alert, re.MULTILINE)


def test_without_immediate_steps_the_first_screen_starts_the_investigation(tmp_path):
    folder = write(tmp_path)
    data = yaml.safe_load((folder / "runbooks.yaml").read_text())
    del data["alerts"][0]["mitigation"]
    (folder / "runbooks.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    alert = build(folder)("alerts/shopdown.md")
    first = alert.split('<div class="rb-first-response"', 1)[1].split('class="rb-first-report"', 1)[0]
    assert "Start here" in first and "Check the targets." in first


def test_a_paging_severity_with_its_own_path_is_not_incomplete(tmp_path):
    """incomplete-runbook counts a severity's escalation path as the alert's."""
    data = yaml.safe_load(INVENTORY.format(procedure="roll_back", p3_escalation=""))
    del data["service"]["escalation"]
    severity = data["severities"][0]
    (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (tmp_path / "rules.yaml").write_text("groups:\n  - name: shop\n    rules:\n      - alert: ShopDown\n"
                                         "        expr: up == 0\n        labels:\n          severity: P1\n")
    result = run_cli("lint", "--rules", "rules.yaml", "--format", "json", cwd=tmp_path)
    assert "escalation path" in result.out  # the paging P1 alert has none yet
    severity["escalation"] = [{"name": "Shop on-call", "url": "https://example.pagerduty.com/services/PSHOP"}]
    (tmp_path / "runbooks.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_cli("lint", "--rules", "rules.yaml", "--format", "json", cwd=tmp_path)
    assert "escalation path" not in result.out, result
