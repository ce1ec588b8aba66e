"""annotate on Grafana-managed rule files (provisioning/export YAML and JSON, ruler API, AlertRule resources).

Same guarantees as for ``groups:`` files: only runbook_url values change, a rule that
cannot be edited is named with file:line and its reason (exit 1), --check agrees,
and no alert the rulers read is passed over in silence.
"""

from __future__ import annotations

import copy
import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from support import REPO, run_cli

FORMATS = REPO / "tests" / "rules" / "fixtures" / "formats"
GRAFANA = ("grafana-provisioning.yaml", "grafana-ruler-api.yaml", "grafana-alertrule.yaml")
SITE = "https://runbooks.example.com/"


def project(root: Path, files: list[str]) -> Path:
    (root / "runbooks.yaml").write_text("version: 1\nservice:\n  name: api\nlint:\n  rules: [" + ", ".join(files)
                                        + "]\n")
    (root / "mkdocs.yml").write_text(f"site_name: api\nsite_url: {SITE}\n")
    return root


def added_lines(before: str, after: str) -> list[str]:
    """Lines annotate added or changed; fails the test when it removed one without a runbook_url replacing it."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(),
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        assert tag == "insert" or all("runbook_url" in line for line in before.splitlines()[i1:i2]), (tag, i1, i2)
        out += after.splitlines()[j1:j2]
    return out


def without_runbook_urls(data):
    """The data with every runbook_url annotation (and annotations that held only it) taken out."""
    data = copy.deepcopy(data)

    def strip(node):
        if isinstance(node, dict):
            notes = node.get("annotations")
            if isinstance(notes, dict) and "runbook_url" in notes:
                del notes["runbook_url"]
                if not notes:
                    del node["annotations"]
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)
    strip(data)
    return data


def test_annotate_sets_runbook_url_in_every_grafana_shape(tmp_path):
    for name in GRAFANA:
        shutil.copy(FORMATS / name, tmp_path / name)
    project(tmp_path, list(GRAFANA))
    before = {name: (tmp_path / name).read_text() for name in GRAFANA}
    assert run_cli("import", cwd=tmp_path).code == 0
    check = run_cli("annotate", "--check", cwd=tmp_path)
    assert check.code == 1, check
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 0, result
    urls = []
    for name in GRAFANA:
        after = (tmp_path / name).read_text()
        lines = added_lines(before[name], after)
        assert all("runbook_url" in line or line.strip() == "annotations:" for line in lines), lines
        urls += [line.split("runbook_url:")[1].strip() for line in lines if "runbook_url" in line]
        assert without_runbook_urls(list(yaml.safe_load_all(after))) == \
            without_runbook_urls(list(yaml.safe_load_all(before[name])))
    # the four alerts without a link (one already links elsewhere and keeps it): provisioning x2, ruler API, resource
    assert len(urls) == 4 and all(u.startswith(SITE + "alerts/") for u in urls), urls
    assert run_cli("annotate", "--check", cwd=tmp_path).code == 0
    lint = run_cli("lint", cwd=tmp_path)
    assert "runbook_url" not in lint.out, lint


@pytest.mark.parametrize("separators", [(", ", ": "), (",", ":")], ids=["pretty", "compact"])
def test_annotate_edits_a_json_export_and_it_stays_json(tmp_path, separators):
    data = yaml.safe_load((FORMATS / "grafana-provisioning.yaml").read_text())
    text = json.dumps(data, indent=2 if separators[0] == ", " else None, separators=separators)
    (tmp_path / "export.json").write_text(text)
    project(tmp_path, ["export.json"])
    assert run_cli("import", cwd=tmp_path).code == 0
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 0, result
    after = (tmp_path / "export.json").read_text()
    edited = json.loads(after)  # still JSON
    assert without_runbook_urls(edited) == without_runbook_urls(data)
    rules = edited["groups"][0]["rules"]
    assert rules[0]["annotations"]["runbook_url"] == data["groups"][0]["rules"][0]["annotations"]["runbook_url"]
    assert rules[2]["annotations"]["runbook_url"] == SITE + "alerts/checkoutbrokenquery/"
    assert rules[1]["annotations"]["runbook_url"].startswith(SITE + "alerts/checkout-log-errors-")
    assert run_cli("annotate", "--check", cwd=tmp_path).code == 0


def test_a_grafana_rule_that_cannot_be_edited_is_named_and_the_others_are_edited(tmp_path):
    (tmp_path / "alerts.yaml").write_text("""apiVersion: 1
groups:
  - orgId: 1
    name: g
    folder: f
    interval: 1m
    rules:
      - uid: a
        title: SharedOne
        condition: A
        data: &data
          - refId: A
            datasourceUid: prom
            model: {expr: up == 0, refId: A}
        annotations: &notes
          summary: shared
      - uid: b
        title: SharedTwo
        condition: A
        data: *data
        annotations: *notes
      - uid: c
        title: Alone
        condition: A
        data: *data
""")
    project(tmp_path, ["alerts.yaml"])
    assert run_cli("import", cwd=tmp_path).code == 0
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 1, result
    assert "alerts.yaml:15:22: alert 'SharedOne': cannot set runbook_url: its annotations are anchored as &notes" \
        in result.err, result
    assert "alerts.yaml:21:22: alert 'SharedTwo': cannot set runbook_url: its annotations are the alias *notes" \
        in result.err, result
    assert yaml.safe_load((tmp_path / "alerts.yaml").read_text())["groups"][0]["rules"][2]["annotations"] == {
        "runbook_url": SITE + "alerts/alone/"}
    check = run_cli("annotate", "--check", cwd=tmp_path)
    assert check.code == 1 and "SharedOne" in check.err and "SharedTwo" in check.err and "Alone" not in check.err


def test_an_alert_the_rulers_read_but_annotate_cannot_place_is_named_not_skipped(tmp_path):
    # the merge key brings in alert:, so the rule's own mapping names no alert
    (tmp_path / "rules.yaml").write_text("groups:\n  - name: g\n    rules:\n      - <<: {alert: Merged, expr: up == 1}\n"
                                         "        labels: {severity: warning}\n      - alert: Plain\n"
                                         "        expr: up == 0\n        labels: {severity: warning}\n")
    project(tmp_path, ["rules.yaml"])
    assert run_cli("import", cwd=tmp_path).code == 0
    for args in (("annotate",), ("annotate", "--check")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.code == 1, result
        assert "rules.yaml:4:14: alert 'Merged': cannot set runbook_url: annotate cannot tell which mapping" \
            in result.err, result
    assert "runbook_url: " + SITE + "alerts/plain/" in (tmp_path / "rules.yaml").read_text()


def test_a_json_export_with_bom_crlf_and_tabs_keeps_them_and_a_list_of_resources_is_edited(tmp_path):
    data = yaml.safe_load((FORMATS / "grafana-provisioning.yaml").read_text())
    raw = ("\ufeff" + json.dumps(data, indent="\t").replace("\n", "\r\n")).encode("utf-8")
    (tmp_path / "export.json").write_bytes(raw)
    (tmp_path / "list.yaml").write_text("""apiVersion: v1
kind: List
items:
  - apiVersion: rules.alerting.grafana.app/v0alpha1
    kind: AlertRule
    metadata: {name: a}
    spec:
      title: InListAlert
      expressions:
        A: {datasourceUID: prom, model: {expr: up == 0}, source: true}
  - apiVersion: rules.alerting.grafana.app/v0alpha1
    kind: RecordingRule
    metadata: {name: r}
    spec:
      title: rec
      metric: rec:sum
      expressions:
        A: {datasourceUID: prom, model: {expr: sum(up)}, source: true}
""")
    project(tmp_path, ["export.json", "list.yaml"])
    assert run_cli("import", cwd=tmp_path).code == 0
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 0, result
    after = (tmp_path / "export.json").read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    added = [line for line in after.split(b"\r\n") if line not in raw.split(b"\r\n")]
    assert len(added) == 2 and all(line.startswith(b"\t\t\t\t\t\"annotations\": {\"runbook_url\": ")
                                   for line in added), added  # in the file's own tabs, JSON's quoting
    assert without_runbook_urls(json.loads(after.decode("utf-8-sig"))) == without_runbook_urls(data)
    listed = yaml.safe_load((tmp_path / "list.yaml").read_text())["items"]
    assert listed[0]["spec"]["annotations"] == {"runbook_url": SITE + "alerts/inlistalert/"}
    assert "annotations" not in listed[1]["spec"]  # a recording rule has no runbook
