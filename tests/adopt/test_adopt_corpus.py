"""Adopting kube-prometheus: 8 PrometheusRule manifests, 139 alerting rules, 125 alert names."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

MANIFESTS = "prometheus-operator__kube-prometheus/manifests"
SHARED_NAMES = {  # used by more than one rule (corpus README)
    "AlertmanagerClusterFailedToSendAlerts", "KubePersistentVolumeFillingUp", "KubePersistentVolumeInodesFillingUp",
    "KubeAPIErrorBudgetBurn", "KubeClientCertificateExpiration", "KubeletClientCertificateExpiration",
    "KubeletServerCertificateExpiration", "NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace",
    "NodeFilesystemFilesFillingUp", "NodeFilesystemAlmostOutOfFiles", "NodeFileDescriptorLimit"}


@pytest.fixture(scope="module")
def adopted(tmp_path_factory) -> Path:
    """A fresh inventory after `import`, and the manifests after `annotate` (once for the module: it takes seconds).

    Module-scoped, so it cannot use the function-scoped ``corpus`` fixture; it skips the same way.
    """
    from support import CORPUS as corpus, run_cli

    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus} (set RUNBOOKGEN_CORPUS to its path)")
    root = tmp_path_factory.mktemp("kube")
    shutil.copytree(corpus / MANIFESTS, root / "manifests")
    shutil.copytree(corpus / MANIFESTS, root / "original")
    (root / "runbooks.yaml").write_text("version: 1\nservice:\n  name: Kubernetes\nlint:\n  rules: [manifests/]\n")
    (root / "mkdocs.yml").write_text("site_name: Kubernetes\nsite_url: https://runbooks.example.com/k8s/\n")
    imported = run_cli("import", cwd=root)
    assert imported.code == 0, imported
    (root / "import.out").write_text(imported.out + imported.err)
    annotated = run_cli("annotate", cwd=root)
    assert annotated.code == 0, annotated
    return root


def test_import_writes_one_stub_per_alert_name(adopted):
    alerts = yaml.safe_load((adopted / "runbooks.yaml").read_text())["alerts"]
    names = [a["name"] for a in alerts]
    assert len(names) == 125 and len(set(names)) == 125
    assert SHARED_NAMES <= set(names)
    assert all(a["status"] == "draft" for a in alerts)
    assert "imported 125 draft runbooks into runbooks.yaml" in (adopted / "import.out").read_text()


def test_a_second_import_changes_nothing(cli, adopted):
    before = (adopted / "runbooks.yaml").read_bytes()
    assert "nothing to import" in cli("import", cwd=adopted).err
    assert (adopted / "runbooks.yaml").read_bytes() == before


def test_lint_after_import_finds_no_missing_runbook(cli, adopted):
    report = json.loads(cli("lint", "--format", "json", cwd=adopted).out)
    names = {f["name"] for f in report["findings"]}
    assert "missing-runbook" not in names
    assert report["summary"]["alerts_covered"] == 125
    # what is left: the drafts to write, and `severity: none` (Watchdog, InfoInhibitor) that no severity lists
    assert names <= {"draft-runbook", "unknown-severity"}, names


def test_annotate_changed_only_runbook_url_lines_and_check_is_clean(cli, adopted):
    check = cli("annotate", "--check", cwd=adopted)
    assert check.code == 0, check
    assert "all 139 runbook_url annotations point at their runbooks" in check.err
    for edited in sorted((adopted / "manifests").iterdir()):
        before = (adopted / "original" / edited.name).read_text().splitlines()
        after = edited.read_text().splitlines()
        assert len(before) == len(after), edited.name
        changed = [(b, a) for b, a in zip(before, after) if b != a]
        assert changed and all("runbook_url: https://runbooks.example.com/k8s/alerts/" in a for _, a in changed)


def test_exported_rules_pass_promtool(cli, adopted):
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.skip("promtool not installed (Debian package prometheus)")
    result = cli("export-rules", "--out", "exported", cwd=adopted)
    assert result.code == 0, result
    check = subprocess.run([promtool, "check", "rules", "exported/prometheus.rules.yaml"], cwd=adopted,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 125 rules found" in check.stdout
