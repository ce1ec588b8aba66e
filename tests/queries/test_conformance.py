"""Prometheus's and Loki's own parser tests, run through `runbookgen lint` as a user runs it.

Every shared case (../shared/conformance, see its README) becomes a rule or a runbook query; one lint run
per set of feature flags reads them all, and the verdict of a case is whether the query checks reported
it. The agreement table is printed (pytest -s); every case where we differ from upstream must be listed
below with its reason, and nothing else may differ.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from support import CORPUS, run_cli

CONFORMANCE = Path(os.environ.get("RUNBOOKGEN_CONFORMANCE", CORPUS.parent / "conformance"))
QUERY_CHECKS = {"RB008", "RB009", "RB015"}  # invalid-promql, invalid-logql, invalid-rule (an empty expr)
FLAGS = {  # the conformance file's names for experimental syntax -> Prometheus's --enable-feature values
    "duration expression (offset/@/step()/range())": "promql-duration-expr",
    "duration expression in []": "promql-duration-expr",
    "extended range selector (anchored/smoothed)": "promql-extended-range-selectors",
    "binop fill modifier": "promql-binop-fill-modifiers",
}
EXPERIMENTAL_FUNCTIONS = "promql-experimental-functions"  # "function:<name>"

# Cases where our verdict differs from upstream's, each with the reason. Keyed by case id.
KNOWN_DIFFERENCES: dict[str, str] = {}
# Valid only with flags, says the case; accepted without them here, because Prometheus's grammar
# (offset_duration_expr) takes a bare, signed literal after offset and leaves the arithmetic that follows
# to the expression: `foo offset 5s-8` is `(foo offset 5s) - 8`, which needs no flag.
ACCEPTED_WITHOUT_FLAGS = {
    "foo offset 5s-8", "foo offset -1^1", "metric1_total offset 100 + 2", "metric1_total offset 2 ^ 2",
    "metric1_total offset -2 ^ 2", "metric1_total offset -2 * 2",
}

needs_cases = pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"no conformance cases at {CONFORMANCE}")


def _cases(name: str) -> list[dict]:
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


def _flags(case: dict) -> tuple[str, ...]:
    return tuple(sorted({FLAGS.get(e, EXPERIMENTAL_FUNCTIONS) for e in case.get("experimental") or ()}))


def _lint(folder: Path, inventory: dict, files: dict[str, object]) -> dict[str, list[dict]]:
    """Run `runbookgen lint --format json` in ``folder``; the query findings by alert name."""
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "runbooks.yaml").write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    result = run_cli("lint", "--format", "json", cwd=folder)
    assert result.code in (0, 1), result
    found = defaultdict(list)
    for finding in json.loads(result.out)["findings"]:
        if finding["code"] in QUERY_CHECKS:
            found[finding["alert"]].append(finding)
    return found


def _inventory(rules: list[str], features: tuple[str, ...] = (), alerts: list | None = None) -> dict:
    lint = {"rules": rules, "checks": {"missing-runbook": "off", "orphan-runbook": "off"}}
    if features:
        lint["prometheus"] = {"features": list(features)}
    return {"version": 1, "service": {"name": "Conformance"},
            "datasources": [{"name": "loki", "type": "loki", "uid": "L"}], "lint": lint, "alerts": alerts or []}


def _promql_verdicts(tmp_path: Path, cases: list[dict], flags_of) -> dict[str, bool]:
    """case id -> True when lint accepted the query, one lint run per set of flags."""
    groups = defaultdict(list)
    for case in cases:
        groups[flags_of(case)].append(case)
    accepted = {}
    for n, (flags, members) in enumerate(sorted(groups.items())):
        resource = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
                    "metadata": {"name": "cases"},
                    "spec": {"groups": [{"name": "cases", "rules": [
                        {"alert": c["id"], "expr": c["query"]} for c in members]}]}}
        found = _lint(tmp_path / f"promql-{n}", _inventory(["cases.yaml"], flags), {"cases.yaml": resource})
        accepted.update({c["id"]: c["id"] not in found for c in members})
    return accepted


def _table(language: str, cases: list[dict], accepted: dict[str, bool]) -> tuple[list[str], str]:
    wrong = [c["id"] for c in cases if accepted[c["id"]] != (c["expected"] == "valid")]
    valid_rejected = sum(1 for c in cases if c["id"] in wrong and c["expected"] == "valid")
    agreement = 100 * (len(cases) - len(wrong)) / len(cases)
    row = (f"| {language} | {len(cases):,} | {agreement:.2f}% | {valid_rejected} | "
           f"{len(wrong) - valid_rejected} |")
    return wrong, row


@needs_cases
def test_promql_agrees_with_prometheus(tmp_path):
    cases = _cases("promql-cases.json")
    accepted = _promql_verdicts(tmp_path, cases, _flags)
    wrong, row = _table("PromQL, each case with its flags", cases, accepted)
    experimental = [c for c in cases if c["expected"] == "valid" and c.get("experimental")]
    plain = _promql_verdicts(tmp_path / "no-flags", experimental, lambda case: ())
    loose = [c for c in experimental if plain[c["id"]] and c["query"] not in ACCEPTED_WITHOUT_FLAGS]
    print("\n| cases | count | agreement | valid rejected | invalid accepted |\n| --- | ---: | ---: | ---: | ---: |")
    print(row)
    print(f"| PromQL experimental syntax without its flags | {len(experimental)} | "
          f"{100 * (len(experimental) - len(loose) - len(ACCEPTED_WITHOUT_FLAGS)) / len(experimental):.2f}% | 0 "
          f"| {len(loose) + len(ACCEPTED_WITHOUT_FLAGS)} |")
    assert sorted(wrong) == sorted(k for k in KNOWN_DIFFERENCES if k.startswith("promql"))
    assert loose == []
    assert {c["query"] for c in experimental if plain[c["id"]]} == ACCEPTED_WITHOUT_FLAGS
    assert 100 * (len(cases) - len(wrong)) / len(cases) >= 99.5


@needs_cases
def test_logql_agrees_with_loki(tmp_path):
    cases = _cases("logql-cases.json")
    metric = [c for c in cases if c["mode"] == "metric"]
    queries = [c for c in cases if c["mode"] != "metric"]
    rules = {"groups": [{"name": "cases", "rules": [{"alert": c["id"], "expr": c["query"]} for c in metric]}]}
    alerts = [{"name": c["id"], "severity": "warning", "summary": "conformance case",
               "queries": [{"title": c["id"], "expr": c["query"], "datasource": "loki"}]} for c in queries]
    found = _lint(tmp_path / "logql", _inventory(["loki/cases.yaml"], alerts=alerts), {"loki/cases.yaml": rules})
    accepted = {c["id"]: c["id"] not in found for c in cases}
    wrong, row = _table("LogQL", cases, accepted)
    print("\n| cases | count | agreement | valid rejected | invalid accepted |\n| --- | ---: | ---: | ---: | ---: |")
    print(row)
    assert sorted(wrong) == sorted(k for k in KNOWN_DIFFERENCES if k.startswith("logql"))
    assert 100 * (len(cases) - len(wrong)) / len(cases) >= 99.5


@needs_cases
def test_positions_agree_with_where_loki_and_prometheus_point(tmp_path):
    """Where upstream states an error's position, ours is the same place or within the same token."""
    from runbookgen.queries.logql import logql_error
    from runbookgen.queries.promql import promql_problem

    far, compared = [], 0
    for case in _cases("promql-cases.json"):
        span = case.get("upstream_range")
        if case["expected"] == "invalid" and isinstance(span, list) and case["query"].strip():
            problem = promql_problem(case["query"], _target_with_all_flags())
            compared += 1
            if not span[0] <= problem.offset <= max(span[1], span[0]):
                far.append((case["query"], span, problem.offset, problem.message))
    for case in _cases("logql-cases.json"):
        pos = case.get("upstream_pos")
        if case["expected"] == "invalid" and isinstance(pos, list) and pos[0] and case["mode"] == "expr":
            error = logql_error(case["query"])
            compared += 1
            if (error.line, error.col) != tuple(pos):
                far.append((case["query"], pos, (error.line, error.col), error.message))
    print(f"\n{compared - len(far)} of {compared} errors point where upstream's tests say; elsewhere:", *far,
          sep="\n")
    assert sorted(query for query, *_ in far) == sorted(POSITIONS_ELSEWHERE), far


def _target_with_all_flags():
    from runbookgen.queries.promql import PromQLTarget

    return PromQLTarget(features=frozenset(FLAGS.values()) | {EXPERIMENTAL_FUNCTIONS})


_AT_THE_VALUE = "we point at the timestamp that is out of bounds; Prometheus at the selector before @"
POSITIONS_ELSEWHERE = {
    "(1))": "we point at the extra ')'; Prometheus one character after it",
    "foo @ +Inf": _AT_THE_VALUE, "foo @ -Inf": _AT_THE_VALUE, "foo @ NaN": _AT_THE_VALUE,
    "foo @ 9223372036854775808.000000": _AT_THE_VALUE, "foo @ -9223372036854775808.000000": _AT_THE_VALUE,
}
