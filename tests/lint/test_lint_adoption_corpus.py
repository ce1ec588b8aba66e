"""lint on the four real rule sets of the corpus that nobody here wrote: OpenShift, GitLab, VictoriaMetrics and
Giant Swarm. Every expected number is computed here independently of runbookgen (PyYAML, promtool) or taken
from the corpus README, which states the ground truth."""

from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from lint_helpers import CORPUS, write, lint_paths

from support import run_cli

OPENSHIFT = "openshift__cluster-monitoring-operator/assets"
GITLAB = "gitlab-com__runbooks"
VICTORIA = "VictoriaMetrics__VictoriaMetrics"
GIANT_SWARM = "giantswarm__prometheus-rules/helm/prometheus-rules/templates"
DAY = dt.date(2026, 6, 1)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VMALERT_GROUP_KEYS = {"concurrency", "type", "params", "headers", "notifier_headers", "eval_offset", "eval_delay",
                      "eval_alignment", "tenant", "debug"}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")



@functools.cache
def groups_of(paths: tuple[Path, ...]) -> list[tuple[Path, dict]]:
    """(file, group) for every rule group in groups: files and PrometheusRule resources, read with PyYAML."""
    found = []
    for path in paths:
        for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=LOADER):
            if isinstance(doc, dict):
                groups = doc["spec"]["groups"] if doc.get("kind") == "PrometheusRule" else doc.get("groups")
                found += [(path, group) for group in groups or []]
    return found


def rule_files(folder: str, suffixes=(".yml", ".yaml")) -> tuple[Path, ...]:
    return tuple(sorted(p for p in (CORPUS / folder).rglob("*") if p.suffix in suffixes and p.is_file()))


def promtool_rejects(groups: list[tuple[Path, dict]]) -> set[str]:
    """The expressions promtool refuses, each rule checked alone in a groups file of its own making."""
    exprs = sorted({rule["expr"] for _, group in groups for rule in group.get("rules") or []})
    doc = {"groups": [{"name": f"g{n}", "rules": [{"record": "x", "expr": e}]} for n, e in enumerate(exprs)]}
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "all.yaml").write_text(yaml.safe_dump(doc))
        proc = subprocess.run(["promtool", "check", "rules", str(Path(scratch) / "all.yaml")], capture_output=True,
                              text=True, timeout=300)
    rejected = {exprs[int(line.split('"g')[1].split('"')[0])] for line in proc.stderr.splitlines()
                if 'group "g' in line}
    assert proc.returncode == 0 or rejected, proc.stderr[:2000]  # a failure of promtool itself is no verdict
    return rejected


needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed")


def inventory(folder: Path, body: str = "") -> str:
    path = write(folder / "runbooks.yaml", "version: 1\nservice:\n  name: Corpus\n  escalation: [{name: on-call}]\n"
                 + body)
    return str(path)


def codes(result, *wanted: str) -> list:
    return [f for f in result.findings if f.code in wanted]


# --- OpenShift: 12 PrometheusRule resources, 124 alerting rules, 119 names (README) -------------------------

@pytest.fixture(scope="module")
def openshift(tmp_path_factory):
    folder = tmp_path_factory.mktemp("openshift")
    return lint_paths(inventory(folder), (str(CORPUS / OPENSHIFT),), day=DAY)


def test_openshift_rules_and_names(openshift):
    groups = groups_of(rule_files(OPENSHIFT))
    alerts = [r for _, g in groups for r in g["rules"] if "alert" in r]
    records = [r for _, g in groups for r in g["rules"] if "record" in r]
    assert (len(alerts), len({r["alert"] for r in alerts})) == (124, 119)  # the README's numbers
    c = openshift.coverage
    assert (c.alerting_rules, c.recording_rules, c.alerts) == (len(alerts), len(records), 119)
    # the admission webhook manifest is the one file that holds no rule, and it says why
    assert [(Path(f).name, r.split(":")[0]) for f, r in openshift.skipped] == [
        ("prometheus-rule-validating-webhook.yaml", "not a rule file")]


@needs_promtool
def test_openshift_expressions_agree_with_promtool(openshift):
    rejected = promtool_rejects(groups_of(rule_files(OPENSHIFT)))
    assert {f.message for f in codes(openshift, "RB008")} == {f"x {e}" for e in rejected} == set()
    assert codes(openshift, "RB009", "RB015", "RB021", "RB022") == []


def test_openshift_unknown_severities_once_per_value(openshift):
    groups = groups_of(rule_files(OPENSHIFT))
    values = collections.Counter(r.get("labels", {}).get("severity") for _, g in groups for r in g["rules"]
                                 if "alert" in r)
    unknown = sorted(v for v in values if v not in ("critical", "warning", "info", "page", None))
    assert unknown == ["none"]  # Watchdog
    found = codes(openshift, "RB006")
    assert [f.message.split("'")[1] for f in found] == unknown
    assert f"of alert 'Watchdog'" in found[0].message


# --- GitLab: 908 alerting rules, 637 names, s1-s4, 15 names with spaces (README) --------------------------

def gitlab_alerts() -> list[dict]:
    groups = groups_of(rule_files(GITLAB))
    return [r for _, g in groups for r in g["rules"] if "alert" in r]


SEVERITIES = "severities:\n  - {id: critical, pages: true, labels: [s1, s2]}\n  - {id: warning, labels: [s3]}\n" \
             "  - {id: info, labels: [s4]}\n"
RANK = {"s1": ("critical", 0), "s2": ("critical", 0), "s3": ("warning", 1), "s4": ("info", 2)}


def test_gitlab_severities_are_four_findings_not_908(tmp_path):
    alerts = gitlab_alerts()
    values = collections.Counter(r["labels"]["severity"] for r in alerts)
    assert (len(alerts), len({r["alert"] for r in alerts}), sorted(values)) == (908, 637, ["s1", "s2", "s3", "s4"])
    result = lint_paths(inventory(tmp_path), (str(CORPUS / GITLAB),), day=DAY)
    found = {f.message.split("'")[1]: f.message for f in codes(result, "RB006")}
    assert sorted(found) == sorted(values)
    files_using = collections.defaultdict(set)
    for path, group in groups_of(rule_files(GITLAB)):
        for rule in group["rules"]:
            if "alert" in rule:
                files_using[rule["labels"]["severity"]].add(path)
    for value, count in values.items():
        files = len(files_using[value])
        assert f"(used by {count} alerting rules in {files} files, first here)" in found[value]
    assert found["s1"].endswith("severities: - {id: critical, labels: [critical, page, s1]}")
    mapped = lint_paths(inventory(tmp_path, SEVERITIES), (str(CORPUS / GITLAB),), day=DAY)
    assert codes(mapped, "RB006") == []
    assert mapped.coverage.alerting_rules == 908 and mapped.coverage.alerts == 637


def test_gitlab_names_with_spaces_get_runbooks_and_waivers(tmp_path):
    alerts = gitlab_alerts()
    spaced = sorted({r["alert"] for r in alerts if " " in r["alert"]})
    assert len(spaced) == 15
    worst = {}
    for rule in alerts:
        severity, rank = RANK[rule["labels"]["severity"]]
        if rule["alert"] in spaced and rank < worst.get(rule["alert"], ("", 9))[1]:
            worst[rule["alert"]] = (severity, rank)
    entries = "".join(f"  - name: {json.dumps(n)}\n    severity: {worst[n][0]}\n    summary: See {json.dumps(n)}\n"
                      f"    last_reviewed: 2026-05-01\n" for n in spaced[1:])
    waiver = (f"lint:\n  checks: {{incomplete-runbook: off}}\n  waivers:\n    - alert: {json.dumps(spaced[0])}\n"
              "      check: missing-runbook\n      reason: its runbook lives elsewhere\n      expires: 2027-01-01\n")
    result = lint_paths(inventory(tmp_path, SEVERITIES + waiver + "alerts:\n" + entries), (str(CORPUS / GITLAB),),
                      day=DAY)
    missing = {f.alert for f in codes(result, "RB001")}
    assert len(missing) == 637 - 15 and not missing & set(spaced)
    assert codes(result, "RB006", "RB007", "RB017") == []  # RB017: the waiver of a spaced name was used
    assert result.waived == 1 and result.coverage.with_runbook == 14


@needs_promtool
def test_gitlab_expressions_agree_with_promtool_and_thanos_keys(tmp_path):
    groups = groups_of(rule_files(GITLAB))
    result = lint_paths(inventory(tmp_path, SEVERITIES), (str(CORPUS / GITLAB),), day=DAY)
    rejected = promtool_rejects(groups)
    assert len(codes(result, "RB008")) == sum(1 for _, g in groups for r in g["rules"] if r["expr"] in rejected)
    assert codes(result, "RB015", "RB009", "RB021") == []  # partial_response_strategy: a Thanos key, accepted
    strict = lint_paths(inventory(tmp_path, SEVERITIES), (f"prometheus:{CORPUS / GITLAB}",), day=DAY)
    with_key = [(p, g) for p, g in groups if "partial_response_strategy" in g]
    assert len(with_key) > 100
    assert sorted(f.message for f in codes(strict, "RB015")) == [
        "unknown key 'partial_response_strategy' in rule group (for the prometheus ruler)"] * len(with_key)


# --- VictoriaMetrics: vmalert files and vmalert's own test files, 93 alerting rules (README) ---------------

def victoria_groups():
    return groups_of(rule_files(VICTORIA, (".yml", ".yaml", ".rules")))


def test_victoriametrics_reads_rules_files_and_vmalert_keys(tmp_path):
    groups = victoria_groups()
    alerts = [r for _, g in groups for r in g["rules"] if "alert" in r]
    assert len(alerts) == 93
    result = lint_paths(inventory(tmp_path), (str(CORPUS / VICTORIA),), day=DAY)
    assert result.coverage.alerting_rules == 93
    assert sum(1 for f in result.files if f.endswith(".rules")) == 3  # were skipped without a note
    assert codes(result, "RB015", "RB009") == []  # vmalert keys are no error; LogsQL is not checked as LogQL
    vmalert_groups = [(p, g) for p, g in groups if VMALERT_GROUP_KEYS & set(g)]
    vlogs = [(p, g) for p, g in groups if g.get("type") == "vlogs"]
    assert len(vlogs) == 3
    unchecked = codes(result, "RB022")
    assert len(unchecked) == len(vmalert_groups)  # one per group, none per rule
    logsql = [f for f in unchecked if "LogsQL" in f.message]
    assert sorted(f.message.split("'")[1] for f in logsql) == sorted(g["name"] for _, g in vlogs)
    assert all(f.level == "info" for f in unchecked)


@needs_promtool
def test_victoriametrics_metricsql_is_not_promql_when_the_ruler_is_named(tmp_path):
    """Without a ruler, groups without vmalert keys are read as Prometheus rules, and exactly what promtool
    refuses there is reported; named vmalert, nothing is checked as PromQL and every group says so."""
    groups = victoria_groups()
    plain = [(p, g) for p, g in groups if not VMALERT_GROUP_KEYS & set(g)]
    rejected = promtool_rejects(plain)
    assert len(rejected) == 2  # lag() and sum(x[5m]): MetricsQL
    auto = lint_paths(inventory(tmp_path), (str(CORPUS / VICTORIA),), day=DAY)
    assert len(codes(auto, "RB008")) == sum(1 for _, g in plain for r in g["rules"] if r["expr"] in rejected)
    named = lint_paths(inventory(tmp_path), (f"vmalert:{CORPUS / VICTORIA}",), day=DAY)
    assert codes(named, "RB008", "RB009", "RB015") == []
    assert len(codes(named, "RB022")) == len(groups)


# --- Giant Swarm: 113 Helm-templated PrometheusRule files (README) ------------------------------------------

def test_giant_swarm_templates_fail_the_run_with_every_file_named(tmp_path):
    files = rule_files(GIANT_SWARM)
    templated = [p for p in files if "{{" in p.read_text(encoding="utf-8")]
    assert len(files) == len(templated) == 113
    inventory(tmp_path)
    result = run_cli("lint", "--rules", CORPUS / GIANT_SWARM, cwd=tmp_path)
    assert result.code == 1, result  # was 0 with "coverage 100.0% (0 of 0)"
    assert "error RB021 no rule was checked: of 113 rule files, 113 skipped as Helm or Go templates" in result.out
    skipped = [line for line in result.out.splitlines() if line.startswith("note: skipped ")]
    assert len(skipped) == 113 and all("looks like a Helm or Go template" in line for line in skipped)
    assert {line.split()[2].rstrip(":") for line in skipped} == {str(p) for p in templated}
    inventory(tmp_path, "lint:\n  checks: {no-rules-checked: off}\n")  # expected: the user says so
    assert run_cli("lint", "--rules", CORPUS / GIANT_SWARM, cwd=tmp_path).code == 0
