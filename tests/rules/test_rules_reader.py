"""The rule-file readers: every shape, every way a file can be wrong, and positions."""

from __future__ import annotations

import pytest
from lint_helpers import write

from runbookgen.problems import Position
from runbookgen.rules import read_rules
from runbookgen.rules.dialect import has_pipeline
from runbookgen.rules.read import NOT_RULES_REASON

PROM = """\
groups:
  - name: app
    interval: 1m
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: AppDown
        expr: job:up:sum == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: App is down
          runbook_url: https://rb.example.com/alerts/appdown.html
"""

PROMETHEUS_RULE = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: app-rules
  namespace: monitoring
spec:
  groups:
    - name: app.rules
      rules:
        - alert: AppDown
          expr: up{job="app"} == 0
          labels: {severity: critical}
"""


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_prometheus_groups_file(here):
    write(here / "rules.yaml", PROM)
    rs = read_rules(["rules.yaml"])
    assert rs.problems == () and rs.rule_problems == () and rs.files == ("rules.yaml",)
    record, alert = rs.rules
    assert (record.kind, record.name, str(record.pos)) == ("record", "job:up:sum", "rules.yaml:5:9")
    assert (alert.kind, alert.name, alert.group, alert.for_, alert.dialect) == ("alert", "AppDown", "app", "5m",
                                                                                "prometheus")
    assert alert.label("severity") == "critical"
    assert str(alert.where("labels", "severity")) == "rules.yaml:11:21"
    assert str(alert.where("annotations", "runbook_url")) == "rules.yaml:14:24"
    assert str(alert.expr_pos) == "rules.yaml:8:15"
    assert str(alert.where("annotations", "nope")) == "rules.yaml:12:9"  # nearest written ancestor


def test_prometheus_rule_resources_several_per_file_and_lists(here):
    other_kinds = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
    as_list = "apiVersion: v1\nkind: List\nitems:\n" + "".join(
        "  " + ("- " if n == 0 else "  ") + line + "\n" for n, line in enumerate(PROMETHEUS_RULE.splitlines()))
    write(here / "bundle.yaml", PROMETHEUS_RULE + "---\n" + other_kinds + "---\n" + PROMETHEUS_RULE.replace(
        "AppDown", "AppSlow") + "---\n" + as_list.replace("AppDown", "AppGone"))
    rs = read_rules(["bundle.yaml"])
    assert [(r.name, r.source, r.line) for r in rs.rules] == [
        ("AppDown", "PrometheusRule monitoring/app-rules", 10),
        ("AppSlow", "PrometheusRule monitoring/app-rules", 28),
        ("AppGone", "PrometheusRule monitoring/app-rules", 44),
    ]
    assert rs.rule_problems == () and rs.problems == ()


def test_folders_and_globs_skip_what_is_not_a_rule_file(here):
    write(here / "rules/a.yaml", PROM)
    write(here / "rules/sub/b.yml", PROMETHEUS_RULE)
    write(here / "rules/kustomization.yaml", "resources: [a.yaml]\n")
    write(here / "rules/chart/templates/rules.yaml", "{{- if .Values.enabled }}\ngroups: []\n{{- end }}\n")
    write(here / "rules/empty.yaml", "# nothing yet\n")
    write(here / "rules/.hidden/c.yaml", PROM)
    write(here / "rules/notes.txt", "not yaml")
    by_folder = read_rules(["rules"])
    assert by_folder.files == ("rules/a.yaml", "rules/empty.yaml", "rules/sub/b.yml")
    assert [r.name for r in by_folder.rules] == ["job:up:sum", "AppDown", "AppDown"]
    assert by_folder.skipped == (  # in walking order: a folder's files, then its subfolders
        ("rules/kustomization.yaml", NOT_RULES_REASON),
        ("rules/chart/templates/rules.yaml", "looks like a Helm or Go template ({{ ... }} outside strings); "
                                             "render it first (for example with helm template) and lint the output"),
    )
    by_glob = read_rules(["rules/**/*.y*ml", "rules/a.yaml"])  # a file matched twice is read once
    assert by_glob.files == by_folder.files


def test_named_files_that_are_not_rule_files_are_problems(here):
    write(here / "values.yaml", "replicaCount: 2\n")
    write(here / "helm.yaml", "groups:\n  - name: {{ .Values.name }}\n    rules: []\n")
    write(here / "broken.yaml", "groups:\n  - name: x\n   rules: []\n")
    (here / "binary.yaml").write_bytes(b"\x00\x01")
    rs = read_rules(["values.yaml", "helm.yaml", "broken.yaml", "binary.yaml", "missing.yaml", "nothing/*.yaml"])
    assert [str(p) for p in rs.problems] == [
        "missing.yaml:1:1: no such file or folder: 'missing.yaml'",
        "nothing/*.yaml:1:1: no file matches 'nothing/*.yaml'",
        f"values.yaml:1:1: {NOT_RULES_REASON}",
        "helm.yaml:2:12: looks like a Helm or Go template ({{ ... }} outside strings); render it first (for example "
        "with helm template) and lint the output",
        "broken.yaml:3:4: YAML syntax error: did not find expected '-' indicator (while parsing a block collection "
            "that started at line 2, column 3)",
        "binary.yaml:1:1: binary data (NUL byte): not a YAML text file",
    ]


def test_structure_problems_become_rule_problems(here):
    write(here / "r.yaml", """\
        namespace: team-a
        groups:
          - name: g
            rules:
              - alert: Both
                record: both
                expr: up
              - expr: up
              - alert: Bad
                expr: {a: b}
                labels: {bad-name: x, ok: [1]}
              - record: not a metric
                expr: up
                annotations: {a: b}
              - alert: Dup
                expr: up
                expr: down
          - just a string
          - name: h
            rules: {}
            color: blue
        extra: 1
        """)
    rs = read_rules(["r.yaml"])
    assert [str(p.pos) + " " + p.message for p in rs.rule_problems] == [
        "r.yaml:17:9 duplicate key 'expr' (first defined at line 16); YAML would silently keep only the last one",
        "r.yaml:22:1 unknown top-level key 'extra'",
        "r.yaml:6:9 a rule has either alert: or record:, not both",
        "r.yaml:8:9 a rule needs alert: (an alerting rule) or record: (a recording rule)",
        "r.yaml:10:15 expr: of 'Bad' must be text",
        "r.yaml:11:18 'bad-name' is not a valid label name",
        "r.yaml:11:35 labels.ok must be text, not a list",
        "r.yaml:12:17 'not a metric' is not a valid metric name for a recording rule",
        "r.yaml:14:9 recording rule 'not a metric' cannot have annotations:",
        "r.yaml:18:5 a rule group must be a mapping with name: and rules:",
        "r.yaml:21:5 unknown key 'color' in rule group",
        "r.yaml:20:12 rules must be a list",
    ]
    assert [r.name for r in rs.rules] == ["Both", "Bad", "not a metric", "Dup"]
    assert rs.rules[1].expr == "" and rs.rules[1].labels == (("bad-name", "x"),)


def test_empty_and_null_values(here):
    write(here / "r.yaml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr:\n"
                           "        labels: {severity: ~, team: ''}\n")
    rs = read_rules(["r.yaml"])
    assert [p.message for p in rs.rule_problems] == ["rule 'A' has no expr:"]
    assert rs.rules[0].labels == (("severity", ""), ("team", ""))


def test_anchors_aliases_and_merge_keys(here):
    write(here / "r.yaml", """\
        x-common: &common
          severity: warning
          team: sre
        groups:
          - name: g
            rules:
              - alert: A
                expr: up == 0
                labels:
                  <<: *common
                  severity: critical
        """.replace("x-common", "groups_common"))
    rs = read_rules(["r.yaml"])
    assert rs.rules[0].labels == (("severity", "critical"), ("team", "sre"))
    assert [p.message for p in rs.rule_problems] == ["unknown top-level key 'groups_common' (did you mean 'groups'?)"]


@pytest.mark.parametrize("folder, text, dialect", [
    ("rules", 'sum(count_over_time({app="x"} |= "error" [5m])) > 0', "loki"),  # a pipeline
    ("rules", 'sum(rate({app="x"}[5m] offset 5m)) > 0', "prometheus"),  # valid in both: Prometheus
    ("loki", 'sum(rate({app="x"}[5m])) > 0', "loki"),  # a folder named loki decides
    ("rules", 'sum by (code) (rate(http_requests_total{code=~"5..|4.."}[5m])) > 1', "prometheus"),  # | in a string
])
def test_dialect_of_a_group(here, folder, text, dialect):
    write(here / folder / "r.yaml", f"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '{text}'\n")
    assert read_rules([f"{folder}/r.yaml"]).rules[0].dialect == dialect


def test_a_group_with_one_loki_only_expression_is_loki(here):
    write(here / "r.yaml", """\
        groups:
          - name: g
            rules:
              - alert: Plain
                expr: 'sum(count_over_time({app="x"}[5m])) > 0'
              - alert: Piped
                expr: 'sum(count_over_time({app="x"} | json | level="error" [5m])) > 0'
          - name: h
            rules:
              - alert: Prom
                expr: 'up == 0'
        """)
    assert [r.dialect for r in read_rules(["r.yaml"]).rules] == ["loki", "loki", "prometheus"]


def test_has_pipeline_ignores_strings_and_comments():
    assert has_pipeline('{a="b"} | json')
    assert not has_pipeline('x{a="b|c"}')
    assert not has_pipeline("x{a=`b|c`} # a | comment")
    assert not has_pipeline('x{a="b\\"|c"}')


def test_positions_inside_loki_expressions(here):
    write(here / "loki/r.yaml", """\
        groups:
          - name: g
            rules:
              - alert: Block
                expr: |
                  sum(count_over_time({app="x"}
                    |= "a" [5m])) > 0
              - alert: Plain
                expr: sum(count_over_time({app="x"}[5m])) > 0
              - alert: Quoted
                expr: "sum(count_over_time({app=\\"x\\"}[5m])) > 0"
        """)
    block, plain, quoted = read_rules(["loki/r.yaml"]).rules
    assert str(block.position_in_expr(2, 3)) == "loki/r.yaml:7:13"  # the | of |=
    assert str(plain.position_in_expr(1, 5)) == "loki/r.yaml:9:19"
    assert str(quoted.position_in_expr(1, 5)) == str(quoted.expr_pos)  # escapes: no exact mapping


def test_background_reader_gives_the_same_rules_and_verdicts(here, monkeypatch):
    from runbookgen.queries import promql
    from runbookgen.rules.background import RuleReader

    for n in range(7):  # the worker reads from the front, the caller from the back, until they meet
        write(here / f"rules/r{n}.yaml", PROM.replace("AppDown", f"AppDown{n}").replace("job:up", f"job{n}:up"))
    write(here / "rules/b.yaml", PROM.replace("AppDown", "Broken").replace("job:up:sum == 0", "rate(x)"))
    write(here / "rules/notes.yaml", "just: notes\n")  # skipped, in its place
    promql.forget_verdicts()
    monkeypatch.setattr("runbookgen.rules.background.spare_core", lambda: True)  # fork whatever the load
    forked = RuleReader(["rules", "missing/"], ".", min_bytes=0)
    assert forked.worker is not None or not __import__("sys").platform.startswith("linux")
    in_process = read_rules(["rules", "missing/"], where=Position("inv.yaml", 3, 4))
    assert forked.result(Position("inv.yaml", 3, 4)) == in_process
    assert [r.name for r in in_process.alerting][:3] == ["Broken", "AppDown0", "AppDown1"]  # files in listed order
    assert in_process.skipped and in_process.problems
    assert promql._ANALYSES[("rate(x)", 3)].error.message == \
        "expected type range vector in call to function 'rate', got instant vector"
    forked.cancel()  # harmless once done

    def explode(*args, **kwargs):
        raise RuntimeError("worker bug")

    with monkeypatch.context() as patched:  # the forked worker inherits the patch; the caller does not
        patched.setattr("runbookgen.rules.background.read_rule_file", explode)
        failing = RuleReader(["rules", "missing/"], ".", min_bytes=0)
    assert failing.result(Position("inv.yaml", 3, 4)) == in_process  # the caller read the worker's files too

    killed = RuleReader(["rules", "missing/"], ".", min_bytes=0)
    if killed.worker is not None:
        killed.worker.kill()
    assert killed.result(Position("inv.yaml", 3, 4)) == in_process


@pytest.mark.parametrize("pattern", ["**/*.yaml", "**", "a/**/*.yml", "**/b*", "a/**", "**/[ab]*.yaml",
                                     "**/?.yaml", "a/**/c/*.yaml", "**/.hidden/*.yaml", "**/[!a]*.yaml", "*/**/x.rules"])
def test_recursive_globs_match_what_the_standard_glob_matches(here, pattern):
    """Our ** walker (which survives symlink loops) agrees with glob.glob(recursive=True) on a tree without links."""
    import glob
    import os

    from runbookgen.rules.paths import glob_matches

    for name in ["a.yaml", "b.yml", "a/a.yaml", "a/b.yml", "a/c/d.yaml", "a/c/x.rules", "b/a.yaml", "b/c/e.yaml",
                 ".hidden/a.yaml", "a/.hidden/b.yaml", "b/[x].yaml", "z/y/x.rules"]:
        write(here / name, "groups: []\n")
    ours = sorted(os.path.relpath(p, here) for p in glob_matches(pattern, str(here)))
    theirs = sorted(os.path.relpath(p, here) for p in glob.glob(str(here / pattern), recursive=True))
    if pattern.endswith("**"):  # the folders it matches are walked by the caller, so only files are returned
        theirs = [p for p in theirs if os.path.isfile(here / p)]
    assert ours == theirs
