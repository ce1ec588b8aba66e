#!/usr/bin/env python3
"""Benchmark `runbookgen build` at 100, 1,000 and 10,000 alerts, beside a plain `mkdocs build`.

    python bench/bench_build.py                           # 100, 1,000 and 10,000 alerts (10,000: ~20 minutes)
    python bench/bench_build.py --sizes 100 1000 --runs 5 --no-record
    python bench/bench_build.py --profile 1000            # where a full build spends its time (cProfile)

For each size it writes a synthetic service with bench/synth.py (inventory with
every section filled, PromQL and LogQL, mkdocs.yml, rule files) and times whole
commands in fresh processes (interpreter start-up included):

  validate            runbookgen validate
  full                runbookgen build from scratch (pages shared out between one process per core)
  full, 1 job         the same in one process
  plain mkdocs        mkdocs build of the very Markdown and configuration runbookgen hands to mkdocs;
                      "full, 1 job" minus this is runbookgen's own overhead
  nothing changed     runbookgen build again: skipped
  one step edited     one alert's investigation step changed: only that page is rendered again
  one summary edited  one alert's summary changed: its page, a related alert's page, the alert index and
                      its severity page are rendered again

It prints medians over the runs, ratios measured in the same run, peak memory,
page sizes and the growth from one size to the next, and appends them with a
description of the machine to bench/RESULTS-build.md. When bench/bench_lint.py
is there it then runs it for the lint-versus-promtool line (it records its own
results in bench/RESULTS.md); --no-lint skips that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS-build.md"
DEFAULT_RUNS = {100: 5, 1000: 3, 10000: 1}
STAGES = ("engine_digest", "inputs_unchanged", "record_inputs", "load_inventory", "coverage_of", "render_pages", "render_alert_pages",
          "render_incident_reports", "navigation",
          "structure_digest", "digests", "site_stamp", "_reusable", "sync_docs", "link_missing", "build_site", "write_pages",
          "replace_dir", "export_docs")
MEASURES = ("validate", "full", "full_1job", "plain_mkdocs", "nothing_changed", "step_edit", "summary_edit")
LABELS = {"validate": "validate", "full": "full build", "full_1job": "full, 1 job", "plain_mkdocs": "plain mkdocs",
          "nothing_changed": "nothing changed", "step_edit": "one step edited", "summary_edit": "one summary edited"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}


# --- the build as the benchmark runs it: in a fresh process, with each stage timed -------------------------

def driver(folder: str, jobs: int, docs_dir: str | None) -> None:
    """Run one build like `runbookgen build` does, timing the pipeline's stages; print a JSON summary."""
    started = time.perf_counter()
    import runbookgen.build as pipeline

    spent: dict[str, float] = {}
    inner: list[float] = [0.0]  # time spent in stages called from the running stage (sync_docs -> write_pages)
    from runbookgen.project import Project

    owners = {"load_inventory": Project}  # stages that moved out of runbookgen.build: where they live now
    for name in STAGES:
        owner = owners.get(name, pipeline)
        original = getattr(owner, name, None)
        if original is None:  # a stage this version of the pipeline does not have
            continue

        def timed(*args, _original=original, _name=name, **kwargs):
            start = time.perf_counter()
            inner.append(0.0)
            try:
                return _original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                nested = inner.pop()
                spent[_name] = spent.get(_name, 0.0) + elapsed - nested  # each second counted in one stage only
                inner[-1] += elapsed

        setattr(owner, name, timed)
    off = set(filter(None, os.environ.get("RUNBOOKGEN_BENCH_OFF", "").split(",")))
    if "extras" in off:  # the coverage page, incident reports and a share of alert pages: not on a second core
        pipeline.FORK_MIN_ALERTS = 10 ** 9
    if "workers" in off:  # mkdocs renders every page in this process
        import runbookgen.engine.partial as partial

        partial.forking_allowed = lambda: False
    os.chdir(folder)
    from runbookgen.project import resolve_project

    result = pipeline.build(resolve_project("runbooks.yaml"), site_dir="site", docs_dir=docs_dir,
                            jobs=jobs or None)
    print(json.dumps({"mode": result.mode, "rendered": result.rendered, "pages": result.pages, "stages": spent,
                      "inside": time.perf_counter() - started}))


def plain_config(folder: Path) -> None:
    """plain/mkdocs.yml: the configuration runbookgen hands to mkdocs for this service, for `mkdocs build`."""
    import yaml

    from runbookgen.generate.nav import navigation
    from runbookgen.inventory import load_inventory
    from runbookgen.engine import material as mkdocs_engine

    inventory = load_inventory(str(folder / "runbooks.yaml"))
    raw = mkdocs_engine.read_user_config(str(folder / "mkdocs.yml"))
    nav = navigation(inventory, coverage=(folder / "plain" / "docs" / "coverage.md").is_file())
    config = {**raw, **mkdocs_engine._overrides(raw, "docs", "site", nav)}
    config["use_directory_urls"] = raw.get("use_directory_urls", True)
    (folder / "plain" / "mkdocs.yml").write_text(yaml.dump(config, sort_keys=False, allow_unicode=True))


# --- measuring ---------------------------------------------------------------------------------------------

def measured(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds (user + system, workers included) and peak RSS (largest process) of one run.

    A tiny wrapper process starts the command and reads its resource usage with wait4, which subprocess
    does not expose."""
    wrapper = ("import os,sys,json,subprocess,time;t=time.perf_counter();p=subprocess.Popen(sys.argv[1:]);"
               "_,s,u=os.wait4(p.pid,0);w=time.perf_counter()-t;c=os.waitstatus_to_exitcode(s);"
               "print(json.dumps({'wall':w,'cpu':u.ru_utime+u.ru_stime,'rss':u.ru_maxrss/1024,'code':c}),"
               "file=sys.stderr);sys.exit(c)")
    proc = subprocess.run([sys.executable, "-c", wrapper, *command], cwd=cwd, env=env or ENV, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command[:4]))} failed ({proc.returncode}):\n{proc.stdout[-2000:]}"
                         f"{proc.stderr[-2000:]}")
    usage = json.loads(proc.stderr.strip().splitlines()[-1])
    return {"wall": usage["wall"], "cpu": usage["cpu"], "rss": usage["rss"], "out": proc.stdout}


def build_command(folder: Path, jobs: int = 0, docs_dir: str | None = None) -> list[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--driver", str(folder), "--jobs", str(jobs)]
    return command + (["--docs-dir", docs_dir] if docs_dir else [])


def run_build(folder: Path, jobs: int = 0, docs_dir: str | None = None, expect: str | None = None,
              env: dict | None = None) -> dict:
    result = measured(build_command(folder, jobs, docs_dir), folder, env)
    summary = json.loads(result.pop("out").strip().splitlines()[-1])
    if expect and summary["mode"] != expect:
        raise SystemExit(f"expected a {expect} build, got {summary['mode']} ({folder})")
    return {**result, **summary}


def fresh(folder: Path) -> None:
    shutil.rmtree(folder / "site", ignore_errors=True)
    shutil.rmtree(folder / ".runbookgen-cache", ignore_errors=True)


def edit_step(text: str, run: int) -> str:
    old = "      - step: Look at the main signal.\n"
    at = -1
    for _ in range(run % 7 + 3):
        at = text.index(old, at + 1)
    return text[:at] + f"      - step: Look at the main signal (edit {run}).\n" + text[at + len(old):]


def edit_summary(text: str, run: int, synth) -> str:
    n = run % 7 + 5
    part = synth.alert_parts(n)
    old = f"summary: {part['comp']} shard {n % 16} is failing requests ({n})\n"
    return text.replace(old, f"summary: {part['comp']} shard {n % 16} fails, run {run}\n", 1)


def page_sizes(site: Path) -> dict:
    alerts = sorted(p.stat().st_size for p in (site / "alerts").glob("*.html") if p.name != "index.html")
    html = [p.stat().st_size for p in site.rglob("*.html")]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"pages": len(html), "site_mb": total / 1e6, "alert_median_kb": statistics.median(alerts) / 1e3,
            "alert_max_kb": alerts[-1] / 1e3, "index_kb": (site / "alerts" / "index.html").stat().st_size / 1e3,
            "html_per_page_kb": sum(html) / len(html) / 1e3}


def same_html(left: Path, right: Path) -> tuple[int, int]:
    """How many of runbookgen's HTML files plain mkdocs wrote byte for byte the same (a check on the baseline)."""
    pages = [p.relative_to(left) for p in left.rglob("*.html")]
    return sum(1 for p in pages if (right / p).is_file() and (right / p).read_bytes() == (left / p).read_bytes()), len(pages)


def bench_size(count: int, runs: int, workdir: Path, synth) -> dict:
    folder = workdir / f"inv{count}"
    synth.write(count, str(folder))
    original = (folder / "runbooks.yaml").read_text()
    print(f"\n{count} alerts: setting up (warm-up build, plain mkdocs configuration)", flush=True)
    fresh(folder)
    run_build(folder, docs_dir=str(folder / "plain" / "docs"), expect="full")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--plain-config", str(folder)], check=True, env=ENV)
    samples: dict[str, list[dict]] = {m: [] for m in MEASURES}
    for run in range(runs):
        (folder / "runbooks.yaml").write_text(original)
        samples["validate"].append(measured([sys.executable, "-m", "runbookgen", "validate"], folder))
        fresh(folder)
        samples["full"].append(run_build(folder, expect="full"))
        samples["nothing_changed"].append(run_build(folder, expect="skipped"))
        (folder / "runbooks.yaml").write_text(edit_step(original, run))
        samples["step_edit"].append(run_build(folder, expect="incremental"))
        (folder / "runbooks.yaml").write_text(edit_summary(edit_step(original, run), run, synth))
        samples["summary_edit"].append(run_build(folder, expect="incremental"))
        (folder / "runbooks.yaml").write_text(original)
        fresh(folder)
        samples["full_1job"].append(run_build(folder, jobs=1, expect="full"))
        shutil.rmtree(folder / "plain" / "site", ignore_errors=True)
        samples["plain_mkdocs"].append(measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                                                 "plain/mkdocs.yml"], folder))
        line = "  ".join(f"{LABELS[m]} {samples[m][-1]['wall']:.2f}s" for m in MEASURES)
        print(f"  run {run + 1}/{runs}: {line}", flush=True)
    sizes = page_sizes(folder / "site")
    same, total = same_html(folder / "site", folder / "plain" / "site")
    result = {"alerts": count, "runs": runs, "sizes": sizes, "plain_same_html": [same, total]}
    for m in MEASURES:
        result[m] = {k: statistics.median(s[k] for s in samples[m]) for k in ("wall", "cpu", "rss")}
    for m in ("full", "full_1job", "step_edit", "summary_edit"):
        result[m]["rendered"] = samples[m][-1]["rendered"]
        result[m]["stages"] = {group: statistics.median(_grouped(s)[group] for s in samples[m]) for group in GROUPS}
    return result


GROUPS = {  # the pipeline's stages, as the report shows them
    "interpreter, imports": (),
    "fingerprints": ("engine_digest", "inputs_unchanged", "record_inputs", "structure_digest", "digests", "site_stamp"),
    "load and validate": ("load_inventory",),
    "coverage page (lint)": ("coverage_of",),
    "render Markdown": ("render_pages", "render_alert_pages", "navigation"),
    "incident reports": ("render_incident_reports",),
    "files: docs, site links, downloads, swap": ("sync_docs", "link_missing", "write_pages", "replace_dir",
                                                "export_docs"),
    "mkdocs (build_site)": ("build_site",),
    "cache records, other": (),
}


def _grouped(sample: dict) -> dict[str, float]:
    spent = {group: sum(sample["stages"].get(name, 0.0) for name in names) for group, names in GROUPS.items()}
    spent["interpreter, imports"] = sample["wall"] - sample["inside"]
    spent["cache records, other"] = sample["inside"] - sum(sample["stages"].values())
    return spent


# --- reporting ---------------------------------------------------------------------------------------------

def machine() -> str:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    from importlib import metadata

    versions = ", ".join(f"{d} {metadata.version(d)}" for d in ("mkdocs", "mkdocs-material"))
    return (f"{len(os.sched_getaffinity(0))} CPUs available, {model}{memory}, {platform.system()}, "
            f"Python {platform.python_version()}, {versions}")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def own_overhead(result: dict) -> tuple[float, float]:
    """runbookgen's own work in a one-process full build: (seconds outside mkdocs, share of the build)."""
    full = result["full_1job"]
    outside = full["wall"] - full["stages"]["mkdocs (build_site)"]
    return outside, outside / full["wall"]


def report(results: list[dict], started: str, loads: tuple[str, str], label: str = "") -> str:
    lines = [f"## {started}" + (f" ({label})" if label else ""), "",
             f"Machine: {machine()}; load average {loads[0]} before, {loads[1]} after (other jobs share it: "
             "compare ratios and CPU seconds rather than wall-clock seconds across runs). "
             f"Median of {', '.join(str(r['runs']) for r in results)} runs. Peak RSS is the largest process's "
             "(a full build forks one worker per extra core, each smaller than the parent).", ""]
    lines += ["| alerts | " + " | ".join(f"{LABELS[m]} (s)" for m in MEASURES) + " |",
              "| ---: |" + " ---: |" * len(MEASURES)]
    for r in results:
        lines.append(f"| {r['alerts']:,} | " + " | ".join(f"{r[m]['wall']:.2f}" for m in MEASURES) + " |")
    lines += ["", "CPU seconds (user + system, all processes) and peak RSS (MB):", "",
              "| alerts | " + " | ".join(f"{LABELS[m]}" for m in MEASURES) + " |", "| ---: |" + " ---: |" * len(MEASURES)]
    for r in results:
        lines.append(f"| {r['alerts']:,} | " + " | ".join(f"{r[m]['cpu']:.1f} s, {r[m]['rss']:.0f} MB"
                                                            for m in MEASURES) + " |")
    lines += ["", "Ratios (same run):", "",
              "| alerts | full / plain mkdocs | full, 1 job / plain mkdocs | runbookgen's own share of full, 1 job "
              "| nothing changed / full | one step / full | one summary / full | pages rendered: step, summary |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        outside, share = own_overhead(r)
        full = r["full"]["wall"]
        lines.append(f"| {r['alerts']:,} | {full / r['plain_mkdocs']['wall']:.2f} | "
                     f"{r['full_1job']['wall'] / r['plain_mkdocs']['wall']:.2f} | {share:.1%} ({outside:.2f} s) | "
                     f"{r['nothing_changed']['wall'] / full:.1%} | {r['step_edit']['wall'] / full:.1%} | "
                     f"{r['summary_edit']['wall'] / full:.1%} | {r['step_edit']['rendered']}, "
                     f"{r['summary_edit']['rendered']} |")
    lines += ["", "Where the time goes (s), in a one-process full build and after one step edited:", "",
              "| alerts, build | " + " | ".join(GROUPS) + " |", "| ---: |" + " ---: |" * len(GROUPS)]
    for r in results:
        for m in ("full_1job", "step_edit"):
            lines.append(f"| {r['alerts']:,}, {LABELS[m]} | "
                         + " | ".join(f"{v:.2f}" for v in r[m]["stages"].values()) + " |")
    lines += ["", "Site and page sizes:", "",
              "| alerts | HTML pages | site (MB) | alert page, median (KB) | alert page, largest (KB) | "
              "HTML per page (KB) | alert index (KB) | plain mkdocs wrote the same HTML |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        s = r["sizes"]
        same, total = r["plain_same_html"]
        lines.append(f"| {r['alerts']:,} | {s['pages']:,} | {s['site_mb']:.1f} | {s['alert_median_kb']:.1f} | "
                     f"{s['alert_max_kb']:.1f} | {s['html_per_page_kb']:.1f} | {s['index_kb']:.0f} | "
                     f"{same:,} of {total:,} |")
    growth = [(a, b) for a, b in zip(results, results[1:]) if b["alerts"] == 10 * a["alerts"]]
    if growth:
        lines += ["", "Growth with 10x the alerts (time ratios are CPU seconds, which contention on a shared "
                  "machine disturbs less than wall-clock seconds; wall-clock in brackets):", ""]
        for a, b in growth:
            parts = [f"{LABELS[m]} {b[m]['cpu'] / a[m]['cpu']:.1f}x ({b[m]['wall'] / a[m]['wall']:.1f}x)"
                     for m in ("validate", "full", "full_1job", "plain_mkdocs")]
            rss = [f"{LABELS[m]} {b[m]['rss'] / a[m]['rss']:.1f}x" for m in ("validate", "full", "full_1job")]
            page = b["sizes"]["alert_median_kb"] / a["sizes"]["alert_median_kb"]
            lines.append(f"- {a['alerts']:,} -> {b['alerts']:,}: time {', '.join(parts)}; peak RSS "
                         f"{', '.join(rss)}; alert page size {page:.2f}x.")
    return "\n".join(lines) + "\n"


def profile(count: int) -> None:
    """A one-process full build under cProfile, in this process; prints where the time goes."""
    import cProfile
    import pstats

    sys.path.insert(0, str(HERE))
    import synth

    folder = Path(tempfile.mkdtemp(prefix="runbookgen-profile-"))
    synth.write(count, str(folder))
    os.chdir(folder)
    from runbookgen.build import build

    profiler = cProfile.Profile()
    from runbookgen.project import resolve_project

    profiler.runcall(build, resolve_project("runbooks.yaml"), site_dir="site", cache=False, jobs=1)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    shutil.rmtree(folder, ignore_errors=True)


def profile_serve(count: int, edits: int = 3) -> None:
    """``serve``'s rebuild after one investigation step edited, under cProfile, in this process (the first build
    and a warm-up edit are not profiled); prints where the time goes."""
    import cProfile
    import pstats

    sys.path.insert(0, str(HERE))
    import serve_reload
    import synth

    folder = Path(tempfile.mkdtemp(prefix="runbookgen-profile-"))
    synth.write(count, str(folder))
    os.chdir(folder)
    from runbookgen.build import build
    from runbookgen.generate.kept import KeptPages
    from runbookgen.inventory.incremental import InventoryReloader
    from runbookgen.project import resolve_project

    from runbookgen.output.warm import WarmSite

    kept, reloader, warm = KeptPages(), InventoryReloader("runbooks.yaml"), WarmSite()  # as serve keeps them
    inventory = folder / "runbooks.yaml"
    original = inventory.read_text()
    build(resolve_project("runbooks.yaml"), site_dir="site", jobs=1, kept=kept, reloader=reloader, warm=warm)
    for run in range(1, edits + 1):
        inventory.write_text(serve_reload._edit(original, 3, run)[0])
        profiler = cProfile.Profile() if run == edits else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            result = profiler.runcall(build, resolve_project("runbooks.yaml"), site_dir="site", jobs=1, kept=kept,
                                      reloader=reloader, warm=warm)
        else:
            result = build(resolve_project("runbooks.yaml"), site_dir="site", jobs=1, kept=kept, reloader=reloader,
                           warm=warm)
        print(f"rebuild {run} ({result.mode}): {time.perf_counter() - started:.2f} s, "
              f"CPU {time.process_time() - cpu:.2f} s"
              + (" (profiled)" if profiler else ""), flush=True)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(30)
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, help="runs per size (default: 5 at 100 alerts, 3 at 1,000, 1 at 10,000)")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS-build.md")
    parser.add_argument("--no-lint", action="store_true", help="do not run bench/bench_lint.py afterwards")
    parser.add_argument("--profile", type=int, metavar="ALERTS", help="profile a full build in-process instead")
    parser.add_argument("--profile-serve", type=int, metavar="ALERTS",
                        help="profile serve's rebuild after one step edited, in-process, instead")
    parser.add_argument("--label", default="", help="what was measured, for the results' heading")
    parser.add_argument("--serve-reload", type=int, nargs="+", metavar="ALERTS",
                        help="measure edit-to-reload in `runbookgen serve` in Chromium, and bytes per page view, "
                             "instead (bench/serve_reload.py)")
    parser.add_argument("--serve-before", metavar="FOLDER",
                        help="with --serve-reload: alternate serve processes of this code with the runbookgen package "
                             "in FOLDER (e.g. `git archive` of an earlier commit), --rounds rounds")
    parser.add_argument("--serve-after", metavar="FOLDER", help="with --serve-before: this code, from FOLDER")
    parser.add_argument("--rounds", type=int, default=2, help="with --serve-before: serve processes per variant")
    parser.add_argument("--no-page-bytes", action="store_true",
                        help="with --serve-reload: time the reloads only, not the bytes per page view")
    parser.add_argument("--mechanisms", type=int, nargs="+", metavar="ALERTS",
                        help="measure each build mechanism switched off in turn, instead (bench/mechanisms.py)")
    parser.add_argument("--driver", help=argparse.SUPPRESS)
    parser.add_argument("--plain-config", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--docs-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        return driver(args.driver, args.jobs, args.docs_dir)
    if args.plain_config:
        return plain_config(Path(args.plain_config))
    if args.profile:
        return profile(args.profile)
    if args.profile_serve:
        return profile_serve(args.profile_serve)
    sys.path.insert(0, str(HERE))
    import synth

    if args.mechanisms:
        import mechanisms

        workdir = Path(tempfile.mkdtemp(prefix="runbookgen-bench-"))
        before = load_average()
        try:
            text = mechanisms.run(args.mechanisms, args.runs or 3, workdir, synth, sys.modules[__name__])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        text = f"Machine: {machine()}; load average {before} before, {load_average()} after.\n\n" + text
        print("\n" + text)
        return None
    if args.serve_reload:
        import serve_reload

        workdir = Path(tempfile.mkdtemp(prefix="runbookgen-bench-"))
        before = load_average()
        try:
            if args.serve_before:
                text = serve_reload.compare(args.serve_reload, args.runs or 3, args.rounds, workdir, synth, ENV,
                                            args.serve_before, args.serve_after)
            else:
                text = serve_reload.run(args.serve_reload, args.runs or 5, workdir, synth, ENV,
                                        not args.no_page_bytes)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        text = f"Machine: {machine()}; load average {before} before, {load_average()} after.\n\n" + text
        print("\n" + text)
        return None
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    before = load_average()
    workdir = Path(tempfile.mkdtemp(prefix="runbookgen-bench-"))
    try:
        results = [bench_size(n, args.runs or DEFAULT_RUNS.get(n, 3), workdir, synth) for n in sorted(args.sizes)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(results, started, (before, load_average()), args.label)
    print("\n" + text)
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    lint = HERE / "bench_lint.py"
    if lint.is_file() and not args.no_lint:
        print("\nlint beside promtool (bench/bench_lint.py):", flush=True)
        sizes = [str(n) for n in sorted(args.sizes) if n >= 1000] or ["1000"]
        subprocess.run([sys.executable, str(lint), "--sizes", *sizes] + (["--no-record"] if args.no_record else []),
                       check=False)


if __name__ == "__main__":
    main()
