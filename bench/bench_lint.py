#!/usr/bin/env python3
"""Benchmark `runbookgen lint` beside `promtool check rules` on the same rule files, in the layouts users have.

Layouts (``--layouts``): 1,000, 10,000 and 100,000 generated alerting rules, in one file (what compiled
mixins ship) or in ten, with an inventory whose every alert has a complete runbook (owner, dashboards, a
query, investigation steps, causes, mitigations, ...) or a minimal one (name, severity, summary), every
expression distinct; and GitLab's real rule files from the shared corpus. Generated layouts pass every
check (each rule's runbook_url points at the site mkdocs.yml names). Lint runs cold (its kept PromQL
verdicts and inventory removed first) and warm (the next run), alternating with promtool; medians of
wall and CPU seconds and the load average are printed and appended to bench/RESULTS.md.

    python bench/bench_lint.py                                  # every layout, 5 runs each
    python bench/bench_lint.py --layouts 10k-1file-rich --runs 3 --no-record
    python bench/bench_lint.py --profile 10000                  # where lint spends its time (cProfile)
    python bench/bench_lint.py --layouts 10k-1file-rich --fork off   # helper processes never forked (or: on)

A layout name says rules, files and inventory: ``1k-10files-rich`` is 1,000 rules in ten files with
complete runbooks.
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
    _write_inventory(folder, inventory)
    (folder / "mkdocs.yml").write_text(f"site_name: Bench\nsite_url: {SITE_URL}\nuse_directory_urls: false\n")
    return paths


INVENTORY_PART = 10_000  # alerts per included file above this many (one file would pass the 20 MiB input limit)


def _write_inventory(folder: Path, lines: list[str]) -> None:
    head_end = lines.index("alerts:") + 1
    head, body = lines[:head_end], lines[head_end:]
    starts = [i for i, line in enumerate(body) if line.startswith("  - name: ")]
    if len(starts) <= INVENTORY_PART:
        (folder / "runbooks.yaml").write_text("\n".join(lines) + "\n")
        return
    (folder / "inventory").mkdir(exist_ok=True)
    bounds = starts[::INVENTORY_PART] + [len(body)]
    for n, (first, last) in enumerate(zip(bounds, bounds[1:])):
        (folder / "inventory" / f"alerts-{n:03d}.yaml").write_text("\n".join(["alerts:", *body[first:last]]) + "\n")
    (folder / "runbooks.yaml").write_text("\n".join([*head[:-1], "include: [inventory/*.yaml]", "alerts: []"]) + "\n")


def corpus_layout(folder: Path, corpus: Path) -> list[Path]:
    """GitLab's rule files from the shared corpus (193 files, 5,708 rules, thousands of distinct expressions),
    with an inventory that lists them and has no runbooks. Thanos's ``partial_response_strategy`` lines are
    left out so that promtool reads every file too."""
    source = corpus / "gitlab-com__runbooks"
    files = []
    for sub in ("rules", "thanos-rules"):
        for path in sorted((source / sub).iterdir()):
            if path.is_file() and path.suffix in (".yml", ".yaml"):
                target = folder / sub / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                kept = [ln for ln in path.read_text().splitlines(keepends=True)
                        if not ln.lstrip().startswith("partial_response_strategy:")]
                target.write_text("".join(kept))
                files.append(target)
    (folder / "runbooks.yaml").write_text("version: 1\nservice:\n  name: GitLab\n  escalation:\n    - name: On-call\n"
                                          "lint:\n  rules: [rules/, thanos-rules/]\nalerts: []\n")
    return files


def timed(command: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> tuple[float, float]:
    """Wall-clock and CPU (user + system, all threads and child processes) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
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


# name -> (rules, rule files, complete runbooks); "gitlab" is the real corpus
LAYOUTS = {
    "1k-1file-rich": (1_000, 1, True),
    "1k-10files-rich": (1_000, 10, True),
    "10k-10files-minimal": (10_000, 10, False),
    "10k-10files-rich": (10_000, 10, True),
    "10k-1file-minimal": (10_000, 1, False),
    "10k-1file-rich": (10_000, 1, True),
    "100k-10files-rich": (100_000, 10, True),  # one 38 MB rule file would pass the 20 MiB input limit
    "gitlab": None,
}
DESCRIBED = {"gitlab": "GitLab's rule files (193 files, 5,708 rules), no runbooks"}


def describe(name: str) -> str:
    if name in DESCRIBED:
        return DESCRIBED[name]
    rules, files, rich = LAYOUTS[name]
    where = "one file" if files == 1 else f"{files} files"
    return f"{rules:,} rules in {where}, {'complete runbooks' if rich else 'minimal inventory'}"


def lay_out(name: str, folder: Path) -> list[Path]:
    if LAYOUTS[name] is None:
        corpus = Path(os.environ.get("RUNBOOKGEN_CORPUS", HERE.parent.parent / "shared" / "corpus"))
        return corpus_layout(folder, corpus)
    rules, files, rich = LAYOUTS[name]
    return generate(folder, rules, files=files, rich=rich)


# --fork: "auto" is what users get (fork a helper only onto an idle core); "on" and "off" force the decision,
# to measure what the fork buys under the machine's present load.
FORK_DECISIONS = {"auto": None, "on": True, "off": False}


def lint_command(fork: str) -> list[str]:
    decided = FORK_DECISIONS[fork]
    if decided is None:
        return [sys.executable, "-m", "runbookgen", "lint"]
    forced = (f"import runbookgen.processes as p\np.spare_core = lambda *a, **k: {decided}\n"
              "from runbookgen.cli import main\nmain(prog_name='runbookgen')")
    return [sys.executable, "-c", forced, "lint"]


def run(layouts: list[str], runs: int, promtool: str, fork: str = "auto") -> list[dict]:
    """Per layout, alternate: lint with its caches emptied (cold), promtool, lint again (warm: what the
    previous lint kept). All three are children of this process; medians of wall and CPU seconds.

    Python may keep compiled modules (``PYTHONDONTWRITEBYTECODE`` is dropped for lint), as an installed
    package has them: otherwise every run compiled runbookgen's sources again (about 0.1 CPU s)."""
    results = []
    with tempfile.TemporaryDirectory(prefix="rbbench-") as tmp:
        for name in layouts:
            folder = Path(tmp) / name
            files = lay_out(name, folder)
            cache = Path(tmp) / f"cache-{name}"
            env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            lint = lint_command(fork)
            ok = (0, 1) if LAYOUTS[name] is None else (0,)  # the corpus has no runbooks: findings, exit 1

            def empty_kept():
                for sub in ("verdicts", "inventories"):
                    shutil.rmtree(cache / "runbookgen" / sub, ignore_errors=True)

            commands = {"cold": lambda: (empty_kept(), timed(lint, folder, env, ok))[1],
                        "promtool": lambda: timed([promtool, "check", "rules",
                                                   *[str(f.relative_to(folder)) for f in files]], folder),
                        "warm": lambda: timed(lint, folder, env, ok)}
            for command in commands.values():  # warm the page cache and the grammars, check that all pass
                command()
            count = runs if LAYOUTS[name] is None or LAYOUTS[name][0] < 100_000 else min(runs, 3)
            samples: dict[str, list] = {key: [] for key in commands}
            for _ in range(count):
                for key, command in commands.items():
                    samples[key].append(command())
            row = {"layout": name, "runs": count, "load": _load(), "fork": fork}
            for key, values in samples.items():
                row[key] = statistics.median(v[0] for v in values)
                row[key + "_cpu"] = statistics.median(v[1] for v in values)
            results.append(row)
            print(f"{name:>20}: lint warm {row['warm']:6.3f} s (cpu {row['warm_cpu']:.3f}), cold {row['cold']:6.3f} s "
                  f"(cpu {row['cold_cpu']:.3f}); promtool {row['promtool']:6.3f} s (cpu {row['promtool_cpu']:.3f}); "
                  f"warm/promtool {row['warm'] / row['promtool']:4.2f}, cold/promtool {row['cold'] / row['promtool']:4.2f}"
                  f"  (median of {count}, load {row['load']}, fork {fork})", flush=True)
    return results


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def record(results: list[dict], runs: int, promtool: str, started: str, fork: str = "auto") -> None:
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC", "",
             f"Machine: {started}. {promtool_version(promtool)}. Median of {runs} alternating runs of each whole "
             "command (3 at 100,000 rules), interpreter start-up included; CPU is user + system time of the "
             "command and every process it started. Cold: lint with its kept verdicts and inventory removed "
             "first; warm: the next run, which uses them. Helper processes: "
             + {"auto": "forked onto an idle core only (the default).", "on": "always forked (--fork on).",
                "off": "never forked (--fork off)."}[fork], "",
             "| layout | lint warm (s) | lint cold (s) | promtool (s) | warm / promtool | cold / promtool "
             "| CPU warm / cold / promtool (s) | load after |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| {describe(r['layout'])} | {r['warm']:.3f} | {r['cold']:.3f} | {r['promtool']:.3f} | "
              f"{r['warm'] / r['promtool']:.2f} | {r['cold'] / r['promtool']:.2f} | "
              f"{r['warm_cpu']:.2f} / {r['cold_cpu']:.2f} / {r['promtool_cpu']:.2f} | {r['load']} |" for r in results]
    path = HERE / "RESULTS.md"
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
    parser.add_argument("--layouts", nargs="+", choices=list(LAYOUTS), default=list(LAYOUTS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--profile", type=int, metavar="RULES", help="profile lint in-process instead")
    parser.add_argument("--fork", choices=list(FORK_DECISIONS), default="auto",
                        help="lint's helper processes: forked onto an idle core (auto, as users get), always, never")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    promtool = shutil.which("promtool")
    if not promtool:
        raise SystemExit("promtool not found: install it (Debian package prometheus) to compare")
    started = machine()
    print(started)
    results = run(args.layouts, args.runs, promtool, args.fork)
    if not args.no_record:
        record(results, args.runs, promtool, started, args.fork)


if __name__ == "__main__":
    main()
