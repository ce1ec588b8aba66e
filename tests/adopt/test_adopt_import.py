"""runbookgen import: a draft runbook for every alert that has none, appended without touching the rest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
MAP = ("--severity-map", "urgent=P3")  # the fixture's rules use a severity value the inventory does not list


@pytest.fixture
def shop(tmp_path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(FIXTURES / "import", target)
    (target / "expected-runbooks.yaml").unlink()
    return target


def alerts_of(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text())["alerts"]


def test_import_appends_stubs_and_keeps_everything_else_byte_for_byte(cli, shop):
    result = cli("import", *MAP, cwd=shop)
    assert result.code == 0, result
    assert (shop / "runbooks.yaml").read_text() == (FIXTURES / "import" / "expected-runbooks.yaml").read_text()
    assert "added ShopSlow (P2) from rules/prometheus/shop.yaml:10" in result.out
    assert "imported 6 draft runbooks into runbooks.yaml (1 alert already had one)" in result.err
    assert cli("validate", cwd=shop).code == 0


def test_second_import_changes_nothing(cli, shop):
    assert cli("import", *MAP, cwd=shop).code == 0
    before = (shop / "runbooks.yaml").read_bytes()
    again = cli("import", *MAP, cwd=shop)
    assert again.code == 0, again
    assert "nothing to import" in again.err and "7 alerts already had one" in again.err
    assert (shop / "runbooks.yaml").read_bytes() == before


def test_severity_comes_from_the_label_through_the_severities_labels(cli, shop):
    cli("import", *MAP, cwd=shop)
    by_name = {a["name"]: a for a in alerts_of(shop / "runbooks.yaml")}
    assert by_name["ShopSlow"]["severity"] == "P2"  # warning is listed under P2's labels
    assert by_name["ShopCertExpiring"]["severity"] == "P1"  # the label value is P1's id
    assert by_name["ShopOddSeverity"]["severity"] == "P3"  # 'urgent' mapped by --severity-map
    assert by_name["ShopNoSeverity"]["severity"] == "P3"  # no label: the least severe
    text = (shop / "runbooks.yaml").read_text()
    assert "# TODO: severity 'urgent'" not in text
    assert "# TODO: the rule has no severity label, so this is the least severe severity" in text


def test_stub_fields_come_from_the_rule(cli, shop):
    cli("import", *MAP, cwd=shop)
    by_name = {a["name"]: a for a in alerts_of(shop / "runbooks.yaml")}
    assert by_name["ShopSlow"] == {
        "name": "ShopSlow", "status": "draft", "severity": "P2",
        "summary": "{{ $labels.job }} is slow: p99 above 2s.",
        "description": "The 99th percentile latency is {{ $value | humanizeDuration }}.",
        "expr": 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="shop"}[5m])))'
                "\n  > 2",
        "for": "10m", "labels": {"team": "shop-backend"}, "group": {"name": "shop"},
    }
    assert by_name["ShopOddSeverity"]["summary"] == "Something odd."  # from the `message` annotation
    assert by_name["ShopNoSeverity"]["summary"].startswith("TODO: one line saying what is happening")
    assert by_name["ShopPanics"]["datasource"] == "logs"  # a Loki rule names the Loki datasource


def test_one_stub_per_name_with_the_most_severe_variant(cli, shop):
    cli("import", *MAP, cwd=shop)
    stubs = [a for a in alerts_of(shop / "runbooks.yaml") if a["name"] == "ShopDiskFilling"]
    assert len(stubs) == 1
    assert stubs[0]["severity"] == "P1" and stubs[0]["for"] == "5m"
    assert "2 rules are named ShopDiskFilling" in (shop / "runbooks.yaml").read_text()


def test_exempt_colliding_and_templated_alerts_are_reported_not_imported(cli, shop):
    result = cli("import", *MAP, cwd=shop)
    names = {a["name"] for a in alerts_of(shop / "runbooks.yaml")}
    assert "ShopWatchdog" not in names and "1 alert needs no runbook (exempt severity): ShopWatchdog" in result.err
    assert "shopdown" not in names
    assert ("warning: rules/prometheus/shop.yaml:51:9: alert 'shopdown' gets no stub: its page name 'shopdown' is "
            "the same as that of alert 'ShopDown'") in result.err
    assert "skipped rules/chart/rules.yaml: looks like a Helm or Go template" in result.err


def test_a_helm_template_named_directly_is_skipped_too(cli, shop):
    result = cli("import", "--rules", "rules/chart/rules.yaml", "--rules", "rules/loki/", cwd=shop)
    assert result.code == 0, result
    assert "skipped rules/chart/rules.yaml: looks like a Helm or Go template" in result.err
    assert [a["name"] for a in alerts_of(shop / "runbooks.yaml")] == ["ShopDown", "ShopPanics"]


def test_after_import_lint_reports_no_missing_runbook_only_drafts(cli, shop):
    cli("import", *MAP, cwd=shop)
    report = json.loads(cli("lint", "--format", "json", cwd=shop).out)
    names = {f["name"] for f in report["findings"]}
    missing = [f["alert"] for f in report["findings"] if f["name"] == "missing-runbook"]
    assert missing == ["shopdown"]  # the one import refused, with a reason
    assert sum(f["name"] == "draft-runbook" for f in report["findings"]) == 6
    assert "severity-mismatch" not in names and "expression-drift" not in names


def test_dry_run_prints_the_stubs_and_writes_nothing(cli, shop):
    before = (shop / "runbooks.yaml").read_text()
    result = cli("import", *MAP, "--dry-run", cwd=shop)
    assert result.code == 0, result
    assert result.out.startswith("    -   name: ShopPanics\n")
    assert "would add 6 draft runbooks to runbooks.yaml (1 alert already had one)" in result.err
    assert (shop / "runbooks.yaml").read_text() == before


def test_import_creates_the_alerts_list_when_there_is_none(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: x  # a comment\n")
    shutil.copytree(FIXTURES / "import" / "rules" / "loki", tmp_path / "rules")
    result = cli("import", "--rules", "rules", cwd=tmp_path)
    assert result.code == 0, result
    text = (tmp_path / "runbooks.yaml").read_text()
    assert text.startswith("version: 1\nservice:\n  name: x  # a comment\n\nalerts:\n  - name: ShopPanics\n")
    assert alerts_of(tmp_path / "runbooks.yaml")[0]["severity"] == "info"  # the default severities
    assert cli("validate", cwd=tmp_path).code == 0


def test_import_fills_an_empty_flow_list(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: x}\nalerts: []  # none yet\nlint: {}\n")
    shutil.copytree(FIXTURES / "import" / "rules" / "loki", tmp_path / "rules")
    assert cli("import", "--rules", "rules", cwd=tmp_path).code == 0
    text = (tmp_path / "runbooks.yaml").read_text()
    assert text.startswith("version: 1\nservice: {name: x}\nalerts:   # none yet\n  - name: ShopPanics\n")
    assert text.endswith("\nlint: {}\n")
    assert cli("validate", cwd=tmp_path).code == 0


def test_without_rule_paths_import_says_where_to_put_them(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: x}\n")
    result = cli("import", cwd=tmp_path)
    assert result.code == 2
    assert "runbooks.yaml:1:1: no rule files to read: pass --rules, or list them under lint: rules:" in result.err


def test_an_invalid_inventory_is_not_imported_into(cli, shop):
    (shop / "runbooks.yaml").write_text("version: 1\nservice: {name: x}\nalerts: [{name: A}]\n")
    result = cli("import", *MAP, cwd=shop)
    assert result.code == 2 and "runbooks.yaml:3:" in result.err and "Traceback" not in result.err
