#!/usr/bin/env python3
"""Benchmark `runbookgen lint` beside `promtool check rules` on the same generated rule files.

For each size (default 1,000 and 10,000 alerting rules) it writes rule files of
1,000 rules each, an inventory with a complete runbook for every alert, and an
mkdocs.yml whose site_url the rules' runbook_url annotations point at, so that
lint runs every check and finds nothing. It then times both commands, alternating
them, and prints the median of several runs and their ratio. Results are appended
to bench/RESULTS.md with a description of the machine.

    python bench/bench_lint.py                  # 1k and 10k rules, 5 runs each
    python bench/bench_lint.py --sizes 1000 --runs 3 --no-record
    python bench/bench_lint.py --profile 10000  # where lint spends its time (cProfile, in-process)
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES_PER_FILE = 1000
SITE_URL = "https://runbooks.example.com/bench/"
EXPRESSIONS = (
    'sum by (instance) (rate(http_requests_total{{job="svc{n}",code=~"5.."}}[5m]))\n'
    '  / sum by (instance) (rate(http_requests_total{{job="svc{n}"}}[5m])) > 0.05',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{job="svc{n}"}}[5m]))) > 1',
    'up{{job="svc{n}"}} == 0',
    'predict_linear(node_filesystem_avail_bytes{{job="svc{n}",fstype!="tmpfs"}}[6h], 4 * 3600) < 0',
    'increase(kube_pod_container_status_restarts_total{{namespace="ns{n}"}}[1h]) > 5',
    'max_over_time(process_resident_memory_bytes{{job="svc{n}"}}[10m])\n'
    '  / on (instance) group_left machine_memory_bytes > 0.9',
)


RICH_FIELDS = (
    "    description: Requests fail; users see errors and orders may be lost.",
    "    impact: Customers cannot complete purchases.",
    "    owner: team-bench",
    "    dashboards:",
    "      - {{title: Service overview, url: 'https://grafana.example.com/d/svc{n}'}}",
    "    queries:",
    "      - {{id: main, title: Error ratio, expr: 'sum by (code) (rate(http_requests_total{{job=\"svc{n}\"}}[5m]))'}}",
    "    investigation:",
    "      - step: Look at the error ratio.",
    "        query: main",
    "      - step: List the pods.",
    "        command: kubectl -n shop get pods -l app=svc{n}",
    "        expect: All pods Running and Ready.",
    "    causes:",
    "      - {{cause: A bad deploy, confirm: Compare the error start with the rollout time.}}",
    "    mitigation:",
    "      immediate: [{{step: Roll back., command: 'kubectl -n shop rollout undo deploy/svc{n}'}}]",
    "      short_term: [Add capacity.]",
    "      long_term: [Add a canary stage.]",
    "    resolution: [Fix the bug and deploy.]",
    "    verification: [{{step: The error ratio is back under 0.1%., query: main}}]",
    "    tags: [bench, shard-{shard}]",
)


def generate(folder: Path, count: int, *, files: int | None = None, rich: bool = True) -> list[Path]:
    """Rule files, runbooks.yaml and mkdocs.yml for ``count`` alerts; returns the rule files.

    The rules go into ``files`` files (default: one per 1,000 rules). With ``rich``, every alert's
    runbook is complete (owner, dashboards, a query, investigation steps, causes, mitigations,
    resolution, verification); without it, it has name, severity, summary and review date only.
    Every expression is distinct (it names its own job), as in real rule files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = files or max(1, -(-count // RULES_PER_FILE))
    per_file = -(-count // files)
    paths = []
    inventory = ["version: 1", "service:", "  name: Bench", "  escalation:", "    - name: Bench on-call",
                 "lint:", "  rules: [rules/]", "alerts:"]
    for index, first in enumerate(range(0, count, per_file)):
        lines = ["groups:"]
        for n in range(first, min(first + per_file, count)):
            if n % 50 == 0 or n == first:
                lines += [f"  - name: group-{n // 50}-{index}", "    rules:"]
            name = f"BenchAlert{n:06d}"
            severity = "critical" if n % 3 == 0 else "warning"
            expr = EXPRESSIONS[n % len(EXPRESSIONS)].format(n=n).replace("\n", "\n          ")
            lines += [f"      - alert: {name}", "        expr: |", f"          {expr}", "        for: 5m",
                      "        labels:", f"          severity: {severity}", "        annotations:",
                      f"          summary: Bench alert {n} on {{{{ $labels.instance }}}}",
                      f"          runbook_url: {SITE_URL}alerts/{name.lower()}.html"]
            inventory += [f"  - name: {name}", f"    severity: {severity}", f"    summary: Bench alert {n} fired",
                          "    last_reviewed: 2099-01-01"]
            if rich:
                inventory += [line.format(n=n, shard=n % 16) for line in RICH_FIELDS]
            elif severity == "critical":
                inventory += ["    investigation: [Open the service dashboard]",
                              "    mitigation: {immediate: [Roll back the last deploy]}"]
        path = folder / "rules" / f"rules-{index:03d}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    (folder / "runbooks.yaml").write_text("\n".join(inventory) + "\n")
    (folder / "mkdocs.yml").write_text(f"site_name: Bench\nsite_url: {SITE_URL}\nuse_directory_urls: false\n")
    return paths


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU (user + system, all threads and child processes) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({proc.returncode}):\n{proc.stdout[-2000:]}"
                         f"{proc.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    try:
        load = ", load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {model}, Python {platform.python_version()}, {platform.system()}{load}"


def promtool_version(promtool: str) -> str:
    out = subprocess.run([promtool, "--version"], capture_output=True, text=True).stdout
    return out.split("\n", 1)[0].strip() or "promtool"


def run(sizes: list[int], runs: int, promtool: str) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="rbbench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / str(size)
            files = generate(folder, size)
            commands = {"lint": [sys.executable, "-m", "runbookgen", "lint"],
                        "promtool": [promtool, "check", "rules", *[str(f.relative_to(folder)) for f in files]]}
            for command in commands.values():  # warm the page cache, and check that both pass
                timed(command, folder)
            samples: dict[str, list] = {name: [] for name in commands}
            for _ in range(runs):
                for name, command in commands.items():
                    samples[name].append(timed(command, folder))
            row = {"size": size}
            for name, values in samples.items():
                row[name] = statistics.median(v[0] for v in values)
                row[name + "_cpu"] = statistics.median(v[1] for v in values)
            results.append(row)
            print(f"{size:>6} rules: runbookgen lint {row['lint']:6.3f} s (cpu {row['lint_cpu']:.3f})   promtool "
                  f"{row['promtool']:6.3f} s (cpu {row['promtool_cpu']:.3f})   ratio {row['lint'] / row['promtool']:4.2f}"
                  f"   (median of {runs}; lint wall {', '.join(f'{v[0]:.2f}' for v in samples['lint'])})", flush=True)
    return results


def record(results: list[dict], runs: int, promtool: str, started: str) -> None:
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC", "",
             f"Machine: {started}. {promtool_version(promtool)}. Median of {runs} runs of each whole command "
             "(interpreter start-up included); CPU is user + system time of all its threads and processes.", "",
             "| alerting rules | lint wall (s) | promtool wall (s) | lint / promtool | lint CPU (s) | promtool CPU (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['size']:,} | {r['lint']:.3f} | {r['promtool']:.3f} | {r['lint'] / r['promtool']:.2f} | "
              f"{r['lint_cpu']:.3f} | {r['promtool_cpu']:.3f} |" for r in results]
    if len(results) > 1:
        small, large = results[0], results[-1]
        lines += ["", f"Scaling: {large['size'] // small['size']}x the rules took "
                      f"{large['lint'] / small['lint']:.1f}x the time ({large['lint_cpu'] / small['lint_cpu']:.1f}x "
                      "the CPU)."]
    path = HERE / "RESULTS.md"
    if not path.exists():
        path.write_text("# Benchmark results\n\nAppended by `python bench/bench_lint.py`.\n")
    with path.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"appended to {path}")


def profile(size: int) -> None:
    from runbookgen.lint import run_lint
    from runbookgen.project import resolve_project

    with tempfile.TemporaryDirectory(prefix="rbbench-") as tmp:
        generate(Path(tmp), size)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            profiler = cProfile.Profile()
            profiler.enable()
            result = run_lint(resolve_project("runbooks.yaml"))
            profiler.disable()
        finally:
            os.chdir(cwd)
    assert not result.findings, result.findings[:3]
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--profile", type=int, metavar="RULES", help="profile lint in-process instead")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    promtool = shutil.which("promtool")
    if not promtool:
        raise SystemExit("promtool not found: install it (Debian package prometheus) to compare")
    started = machine()
    print(started)
    results = run(sorted(args.sizes), args.runs, promtool)
    if not args.no_record:
        record(results, args.runs, promtool, started)


if __name__ == "__main__":
    main()
