#!/usr/bin/env python3
"""Run the README's adoption path on the real rule sets of the shared corpus, and time it.

For each set (kube-prometheus, OpenShift, GitLab, VictoriaMetrics with and
without its ruler named, and the public sets of tests/adopt/fixtures) in a scratch
folder: import (with the severity mapping import suggests, when it asks for one),
annotate, annotate --check, lint, build (with --build), export-rules and promtool
check rules on the export. It prints, per set, the rules and alerts read, the
annotations annotate changed or kept, the rules it could not edit, lint's
findings, what export wrote, and each command's wall-clock time; and times
`annotate --check` beside `lint` on the same files (median of --runs), the figure
the adoption issue asked about. With --record the table goes to
bench/RESULTS-adoption.md.

    python bench/bench_adoption.py                     # every set, 3 runs of the timing
    python bench/bench_adoption.py --sets GitLab --runs 5 --no-record
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "adopt"))

from adoption_path import PUBLIC_SETS, SETS, adopt, prepare, run  # noqa: E402


def summarize(name: str, adoption, runs: int) -> dict:
    steps = adoption.steps
    report = json.loads(steps["lint"].out)
    summary = report["summary"]
    changed = adoption.changed_lines()
    alerts = __import__("yaml").safe_load((adoption.root / "runbooks.yaml").read_text())["alerts"]
    check_times, lint_times = [], []
    for _ in range(runs):  # alternate, so that load on a shared machine hits both alike
        check_times.append(run(adoption.root, "annotate", "--check").seconds)
        lint_times.append(run(adoption.root, "lint", "--format", "json").seconds)
    export = steps["export-rules"]
    return {
        "set": name,
        "rule files": len(summary["rule_files"]),
        "alerting rules": summary["alerting_rules"],
        "alert names": summary["alerts"],
        "severity map": adoption.severity_map or "-",
        "stubs": sum(1 for a in alerts if a.get("status") == "draft"),
        "links kept": sum(1 for a in alerts if a.get("runbook_url")),
        "annotations set": sum(1 for _, sign, line in changed if sign == "+" and "runbook_url" in line),
        "rules annotate could not edit": steps["annotate"].err.count("cannot set runbook_url"),
        "lines changed other than runbook_url": sum(1 for _, _, line in changed if "runbook_url" not in line
                                                    and line.strip() != "annotations:"),
        "promtool verdicts unchanged": steps["promtool before"].out == steps["promtool after"].out,
        "lint findings": dict(sorted(collections.Counter(f["name"] for f in report["findings"]).items())),
        "export": _export_summary(steps),
        "seconds": {k: round(v.seconds, 2) for k, v in steps.items() if not k.startswith("promtool")},
        "annotate --check (median)": round(statistics.median(check_times), 2),
        "lint (median)": round(statistics.median(lint_times), 2),
    }


def _export_summary(steps) -> str:
    """What export-rules wrote, promtool's verdict on the Prometheus file, and what went out unchecked."""
    export = steps["export-rules"]
    if export.code != 0:
        problems = [line for line in export.err.splitlines() if ": alert " in line or "promtool" in line]
        return f"exit {export.code}, {len(problems)} problems: " + (problems[0][:100] if problems else "")
    written = [line.split(":", 1)[0].removeprefix("wrote exported/") for line in export.out.splitlines()
               if line.startswith("wrote ")]
    promtool = {0: "promtool ok", -1: "no Prometheus file"}.get(steps["promtool exported"].code, "promtool FAILED")
    unchecked = next((line.split(" exported unchecked")[0] for line in export.err.splitlines()
                      if "exported unchecked" in line), "")
    return f"exit 0, {', '.join(written) or 'nothing'}; {promtool}" + (f"; unchecked: {unchecked}" if unchecked
                                                                      else "")


def markdown(results: list[dict]) -> str:
    keys = [k for k in results[0] if k not in ("set", "seconds", "lint findings")]
    lines = ["| | " + " | ".join(r["set"] for r in results) + " |", "|---|" + "---:|" * len(results)]
    lines += [f"| {key} | " + " | ".join(str(r[key]) for r in results) + " |" for key in keys]
    lines.append("| lint findings | " + " | ".join(", ".join(f"{k} {v}" for k, v in r["lint findings"].items())
                                                 for r in results) + " |")
    for step in results[0]["seconds"]:
        lines.append(f"| {step} (s) | " + " | ".join(str(r["seconds"].get(step, "-")) for r in results) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    every = sorted(SETS) + sorted(PUBLIC_SETS)
    parser.add_argument("--sets", nargs="*", default=every, choices=every)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also build each site (slow)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    corpus = Path(os.environ.get("RUNBOOKGEN_CORPUS", HERE.parent.parent / "shared" / "corpus"))
    results = []
    with tempfile.TemporaryDirectory(prefix="runbookgen-adoption-") as scratch:
        for name in args.sets:
            folder = "".join(ch for ch in name if ch.isalnum())
            adoption = adopt(prepare(corpus, name, Path(scratch) / folder), build=args.build)
            results.append(summarize(name, adoption, args.runs))
            print(json.dumps(results[-1], indent=1), flush=True)
    table = markdown(results)
    print(table)
    if not args.no_record:
        load = os.getloadavg()
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(HERE / "RESULTS-adoption.md", "a", encoding="utf-8") as out:
            out.write(f"\n## Run of {when}\n\n{platform.python_implementation()} {platform.python_version()}, "
                      f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
                      f"{args.runs} timing runs.\n\n{table}\n")


if __name__ == "__main__":
    main()
