"""import on rule sets with their own severity words, names with spaces, and runbook links of their own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from runbookgen.addresses import slugify

RULES = """groups:
- name: gitlab
  rules:
  - alert: WebDown
    expr: up{job="web"} == 0
    labels: {severity: s1}
    annotations: {title: Web is down}
  - alert: QueueSlow
    expr: queue_seconds > 10
    labels: {severity: s3}
  - alert: Elasticsearch ILM errors in production
    expr: es_ilm_errors > 0
    labels: {severity: s4}
  - alert: Ошибка диска
    expr: disk_errors > 0
    labels: {severity: s2}
  - alert: disk-errors
    expr: disk_errors > 1
    labels: {severity: s2}
  - alert: Disk errors
    expr: disk_errors > 2
    labels: {severity: s2}
"""


@pytest.fixture
def gitlab(tmp_path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "gitlab.yml").write_text(RULES)
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: gitlab\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: gitlab\nsite_url: https://runbooks.example.com/\n")
    return tmp_path


def alerts(root: Path) -> dict:
    return {a["name"]: a for a in yaml.safe_load((root / "runbooks.yaml").read_text()).get("alerts", [])}


def test_unknown_severity_values_are_reported_before_anything_is_written(cli, gitlab):
    before = (gitlab / "runbooks.yaml").read_bytes()
    result = cli("import", cwd=gitlab)
    assert result.code == 2, result
    assert "rules/gitlab.yml:6:24: severity 's1' (1 rule) maps to no severity of the inventory" in result.err
    assert "rules/gitlab.yml:16:24: severity 's2' (3 rules) maps to no severity" in result.err
    assert "runbookgen import --severity-map s1=critical,s2=critical,s3=warning,s4=info" in result.err
    assert "labels: [critical, page, s1, s2]" in result.err  # the suggested severities: block
    assert (gitlab / "runbooks.yaml").read_bytes() == before


def test_a_severity_map_gives_right_stubs_and_lint_knows_the_values(cli, gitlab):
    result = cli("import", "--severity-map", "s1=critical,s2=critical,s3=warning,s4=info", cwd=gitlab)
    assert result.code == 0, result
    found = alerts(gitlab)
    assert found["WebDown"]["severity"] == "critical" and found["QueueSlow"]["severity"] == "warning"
    assert found["Elasticsearch ILM errors in production"]["severity"] == "info"
    assert "added a severities: block" in result.err
    assert cli("validate", cwd=gitlab).code == 0
    report = json.loads(cli("lint", "--format", "json", cwd=gitlab).out)
    assert not [f for f in report["findings"] if f["name"] in ("unknown-severity", "missing-runbook")], report


def test_a_bad_severity_map_is_a_usage_error(cli, gitlab):
    result = cli("import", "--severity-map", "s1=urgent", cwd=gitlab)
    assert result.code == 2 and "'urgent' is not a severity of the inventory" in result.err


def test_reimport_after_the_mapping_changed_fixes_only_unedited_drafts(cli, gitlab):
    assert cli("import", "--severity-map", "s1=info,s2=info,s3=info,s4=info", cwd=gitlab).code == 0
    text = (gitlab / "runbooks.yaml").read_text()
    text = text.replace("summary: Web is down", "summary: Web is down for everyone")  # an author edited this one
    text = text.replace("labels: [critical, page]", "labels: [critical, page, s1, s2]")
    text = text.replace("labels: [info, s1, s2, s3, s4]", "labels: [info, s4]")
    text = text.replace("labels: [warning]", "labels: [warning, s3]")
    (gitlab / "runbooks.yaml").write_text(text)
    result = cli("import", cwd=gitlab)
    assert result.code == 0, result
    after = alerts(gitlab)
    assert after["WebDown"]["severity"] == "info"  # edited: left alone
    assert after["QueueSlow"]["severity"] == "warning" and after["disk-errors"]["severity"] == "critical"
    assert "corrected QueueSlow: severity info -> warning" in result.err
    new_text = (gitlab / "runbooks.yaml").read_text()
    changed = [(a, b) for a, b in zip(text.splitlines(), new_text.splitlines()) if a != b]
    assert len(text.splitlines()) == len(new_text.splitlines())
    assert all(a.strip().startswith("severity:") and b.strip().startswith("severity:") for a, b in changed)
    assert cli("import", cwd=gitlab).err.startswith("nothing to import")


def test_names_with_spaces_and_any_utf8_get_runbooks_and_distinct_pages(cli, gitlab):
    assert cli("import", "--severity-map", "s1=critical,s2=critical,s3=warning,s4=info", cwd=gitlab).code == 0
    names = set(alerts(gitlab))
    assert {"Elasticsearch ILM errors in production", "Ошибка диска", "disk-errors", "Disk errors"} <= names
    slugs = [slugify(n) for n in names]
    assert len(set(slugs)) == len(slugs)
    assert slugify("disk-errors") == "disk-errors" and slugify("KubePodCrashLooping") == "kubepodcrashlooping"
    assert slugify("Disk errors") == slugify("Disk errors") and slugify("Disk errors").startswith("disk-errors-")
    check = cli("annotate", "--check", cwd=gitlab)
    assert "alert 'Ошибка диска': runbook_url missing; would set https://runbooks.example.com/alerts/" in check.out


def test_existing_runbook_links_are_recorded_kept_by_annotate_and_accepted_by_lint(cli, gitlab):
    (gitlab / "rules" / "gitlab.yml").write_text(
        "groups:\n- name: a\n  rules:\n  - alert: Elsewhere\n    expr: up == 0\n    labels: {severity: critical}\n"
        "    annotations:\n      runbook_url: https://github.com/openshift/runbooks/blob/master/alerts/Elsewhere.md\n"
        "  - alert: Here\n    expr: up == 0\n    labels: {severity: critical}\n"
        "    annotations:\n      runbook_url: https://runbooks.example.com/alerts/here/\n"
        "  - alert: Templated\n    expr: up == 0\n    labels: {severity: critical}\n"
        "    annotations:\n      runbook_url: https://wiki.example.com/{{ $labels.alertname }}\n")
    result = cli("import", cwd=gitlab)
    assert result.code == 0, result
    found = alerts(gitlab)
    assert found["Elsewhere"]["runbook_url"] == "https://github.com/openshift/runbooks/blob/master/alerts/Elsewhere.md"
    assert "runbook_url" not in found["Here"] and "runbook_url" not in found["Templated"]
    assert "1 alert already links to a runbook elsewhere" in result.err
    before = (gitlab / "rules" / "gitlab.yml").read_text()
    check = cli("annotate", "--check", cwd=gitlab)
    assert [line.split(": alert ")[1].split(":")[0] for line in check.out.splitlines()] == ["'Templated'"]
    report = json.loads(cli("lint", "--format", "json", cwd=gitlab).out)
    mismatched = [f["alert"] for f in report["findings"] if f["name"] == "runbook-url-mismatch"]
    assert "Elsewhere" not in mismatched
    assert (gitlab / "rules" / "gitlab.yml").read_text() == before


def test_a_page_for_an_alert_kept_elsewhere_links_there(cli, gitlab):
    (gitlab / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: x\nalerts:\n  - name: Elsewhere\n    severity: critical\n    summary: s\n"
        "    runbook_url: https://github.com/openshift/runbooks/blob/master/alerts/Elsewhere.md\n")
    result = cli("build", "--site-dir", "site", cwd=gitlab, timeout=600)
    assert result.code == 0, result
    page = next(p for p in (gitlab / "site" / "alerts").rglob("*.html") if "elsewhere" in p.as_posix()).read_text()
    assert "kept elsewhere" in page
    assert 'href="https://github.com/openshift/runbooks/blob/master/alerts/Elsewhere.md"' in page


def test_import_keeps_every_byte_of_existing_entries_and_the_file(cli, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    inventory = real / "runbooks.yaml"
    head = ("\ufeffversion: 1\r\nservice:\r\n  name: x\r\nalerts:\r\n  - name: Kept\r\n    severity: info\r\n"
            "    summary: s\r\n    description: |+\r\n      kept with its blank lines\r\n\r\n\r\n")
    inventory.write_bytes(head.encode())
    os.chmod(inventory, 0o600)
    (tmp_path / "runbooks.yaml").symlink_to(inventory)
    (tmp_path / "rules.yaml").write_text("groups:\n- name: a\n  rules:\n  - alert: New\n    expr: up\n"
                                         "    labels: {severity: info}\n")
    result = cli("import", "--rules", "rules.yaml", cwd=tmp_path)
    assert result.code == 0, result
    assert (tmp_path / "runbooks.yaml").is_symlink()
    raw = inventory.read_bytes()
    assert raw.startswith(head.encode()) and b"- name: New\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert inventory.stat().st_mode & 0o777 == 0o600
    assert yaml.safe_load(raw.decode("utf-8-sig"))["alerts"][0]["description"] == "kept with its blank lines\n\n\n"


def test_names_prometheus_accepts_validate_and_build_to_pages_inside_alerts(cli, tmp_path):
    names = ["Checkout/HighLoad", "..", "../../index", "High Load", "HöheLast", "5xxErrors", "index"]
    entries = "".join(f"  - name: {json.dumps(n)}\n    severity: critical\n    summary: s\n" for n in names[:-1])
    (tmp_path / "runbooks.yaml").write_text(f"version: 1\nservice:\n  name: x\nalerts:\n{entries}")
    assert cli("validate", cwd=tmp_path).code == 0
    result = cli("build", "--site-dir", "site", cwd=tmp_path, timeout=600)
    assert result.code == 0, result
    pages = {p.relative_to(tmp_path / "site" / "alerts").as_posix() for p in (tmp_path / "site" / "alerts").rglob("*.html")}
    for name in names[:-1]:
        slug = slugify(name)
        assert "/" not in slug and not slug.startswith(".") and slug != "index"
        assert f"{slug}.html" in pages or f"{slug}/index.html" in pages, (name, sorted(pages))
    assert len({slugify(n) for n in names}) == len(names)


@pytest.mark.parametrize("inventory", ["{version: 1, service: {name: x}}\n", "version: 1\nservice: {name: x}\n...\n"])
def test_an_inventory_import_cannot_append_to_exactly_is_left_alone_with_exit_2(cli, tmp_path, inventory):
    (tmp_path / "runbooks.yaml").write_text(inventory)
    (tmp_path / "rules.yaml").write_text("groups:\n- name: a\n  rules:\n  - alert: New\n    expr: up\n"
                                         "    labels: {severity: info}\n")
    result = cli("import", "--rules", "rules.yaml", cwd=tmp_path)
    assert result.code == 2, result
    assert result.err.startswith("runbooks.yaml:1:1: import cannot add the stubs to this file as it is laid out")
    assert (tmp_path / "runbooks.yaml").read_text() == inventory


def test_lint_wants_the_recorded_link_when_a_rule_points_elsewhere(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: x\nlint:\n  rules: [rules.yaml]\nalerts:\n  - name: A\n    severity: critical\n"
        "    summary: s\n    runbook_url: https://wiki.example.com/A\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    (tmp_path / "rules.yaml").write_text("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n"
                                         "    labels: {severity: critical}\n"
                                         "    annotations: {runbook_url: 'https://runbooks.example.com/alerts/a/'}\n")
    report = json.loads(cli("lint", "--format", "json", cwd=tmp_path).out)
    found = [f for f in report["findings"] if f["name"] == "runbook-url-mismatch"]
    assert len(found) == 1 and "not its runbook page https://wiki.example.com/A" in found[0]["message"], found
    assert cli("annotate", cwd=tmp_path).code == 0
    assert "runbook_url: 'https://wiki.example.com/A'" in (tmp_path / "rules.yaml").read_text()
    report = json.loads(cli("lint", "--format", "json", cwd=tmp_path).out)
    assert not [f for f in report["findings"] if f["name"].startswith("runbook-url")]
