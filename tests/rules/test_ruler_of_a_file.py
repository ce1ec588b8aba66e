"""One rule file goes to one ruler: a key only vmalert knows, in any group or rule, makes the whole file vmalert's."""

from __future__ import annotations

import json

import pytest
from lint_helpers import write

INVENTORY = "version: 1\nservice:\n  name: Demo\n  escalation: [{name: Demo on-call}]\n"
METRICSQL_GROUP = ("  - name: plain\n    rules:\n      - alert: NoSelfMonitoring\n"
                   "        expr: lag(vm_app_uptime_seconds[1h]) > 0\n")


@pytest.mark.parametrize("tell", [
    "  - name: tuned\n    concurrency: 2\n    rules:\n      - alert: High\n        expr: rate(x[5m]) > 1\n",
    "  - name: tuned\n    rules:\n      - alert: High\n        expr: rate(x[5m]) > 1\n        debug: true\n",
], ids=["group key", "rule key"])
@pytest.mark.parametrize("first", [True, False], ids=["key first", "key last"])
def test_a_vmalert_key_anywhere_makes_every_group_metricsql(cli, tmp_path, tell, first):
    groups = tell + METRICSQL_GROUP if first else METRICSQL_GROUP + tell
    write(tmp_path / "rules" / "app.yaml", "groups:\n" + groups)
    write(tmp_path / "runbooks.yaml", INVENTORY)
    result = cli("lint", "--rules", "rules/", "--format", "json", cwd=tmp_path)
    report = json.loads(result.out)
    codes = sorted({f["code"] for f in report["findings"]})
    assert "RB008" not in codes, report["findings"]  # lag() is MetricsQL, not invalid PromQL
    unchecked = [f["message"] for f in report["findings"] if f["code"] == "RB022"]
    assert len(unchecked) == 2 and all("vmalert ruler" in m and "MetricsQL" in m for m in unchecked), unchecked


def test_without_a_vmalert_key_the_file_stays_prometheus(cli, tmp_path):
    write(tmp_path / "rules" / "app.yaml", "groups:\n" + METRICSQL_GROUP)
    write(tmp_path / "runbooks.yaml", INVENTORY)
    result = cli("lint", "--rules", "rules/", "--format", "json", cwd=tmp_path)
    report = json.loads(result.out)
    assert [f["line"] for f in report["findings"] if f["code"] == "RB008"] == [5], report["findings"]
