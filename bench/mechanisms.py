"""What each build mechanism buys: the same builds with one mechanism switched off at a time.

    python bench/bench_build.py --mechanisms 1000 --runs 3

Full builds (fresh site and cache) and one-step-edited builds, in fresh processes, medians of the runs, beside
plain mkdocs on the same Markdown in the same run:

  all on               the default: one process per core
  no forked extras     the coverage page, incident reports and a share of the alert pages are not rendered
                       on a second core while this process renders the rest (build.py, FORK_MIN_ALERTS)
  no page workers      mkdocs renders every page in one process (engine/partial.py does not fork)
  neither              both off: everything in one process
  no user cache        no compiled templates or grammar tables kept between runs (XDG_CACHE_HOME unusable)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from pathlib import Path

VARIANTS = {"all on": "", "no forked extras": "extras", "no page workers": "workers", "neither": "extras,workers",
            "no user cache": "usercache"}


def _env(base: dict, off: str) -> dict:
    env = {**base, "RUNBOOKGEN_BENCH_OFF": off}
    if "usercache" in off:
        env["XDG_CACHE_HOME"] = "/dev/null/no-cache"  # not a folder that can be made: the user cache is off
    return env


def measure(count: int, runs: int, workdir: Path, synth, bench) -> dict:
    folder = workdir / f"mech{count}"
    synth.write(count, str(folder))
    original = (folder / "runbooks.yaml").read_text()
    bench.fresh(folder)
    bench.run_build(folder, docs_dir=str(folder / "plain" / "docs"), expect="full")
    subprocess.run([sys.executable, str(Path(bench.__file__).resolve()), "--plain-config", str(folder)],
                   check=True, env=bench.ENV)
    full: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    step: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    plain: list[dict] = []
    for run in range(runs):
        names = list(VARIANTS)
        names = names[run % len(names):] + names[:run % len(names)]  # each variant first in turn: no order bias
        for name in names:
            env = _env(bench.ENV, VARIANTS[name])
            (folder / "runbooks.yaml").write_text(original)
            bench.fresh(folder)
            full[name].append(bench.run_build(folder, expect="full", env=env))
            (folder / "runbooks.yaml").write_text(bench.edit_step(original, run))
            step[name].append(bench.run_build(folder, expect="incremental", env=env))
        (folder / "runbooks.yaml").write_text(original)
        shutil.rmtree(folder / "plain" / "site", ignore_errors=True)
        plain.append(bench.measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain/mkdocs.yml"],
                                    folder))
        print(f"  {count} alerts, mechanisms run {run + 1}/{runs}: " + "  ".join(
            f"{name} {full[name][-1]['wall']:.1f}s/{step[name][-1]['wall']:.2f}s" for name in VARIANTS)
            + f"  plain mkdocs {plain[-1]['wall']:.1f}s", flush=True)

    def median(samples, key):
        return statistics.median(s[key] for s in samples)

    return {"alerts": count, "runs": runs, "plain": {k: median(plain, k) for k in ("wall", "cpu")},
            "full": {n: {k: median(full[n], k) for k in ("wall", "cpu")} for n in VARIANTS},
            "step": {n: {k: median(step[n], k) for k in ("wall", "cpu")} for n in VARIANTS}}


def report(results: list[dict]) -> str:
    lines = ["What each mechanism buys (medians; ratios against plain mkdocs and against \"all on\" from the same "
             "run; CPU seconds are all processes'):", "",
             "| alerts | variant | full build (s) | full / plain mkdocs | full / all on | full CPU (s) | "
             "one step edited (s) | step / all on |", "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        on_full, on_step, plain = r["full"]["all on"]["wall"], r["step"]["all on"]["wall"], r["plain"]["wall"]
        for name in VARIANTS:
            f, s = r["full"][name], r["step"][name]
            lines.append(f"| {r['alerts']:,} | {name} | {f['wall']:.2f} | {f['wall'] / plain:.2f} | "
                         f"{f['wall'] / on_full:.2f} | {f['cpu']:.1f} | {s['wall']:.2f} | {s['wall'] / on_step:.2f} |")
        lines.append(f"| {r['alerts']:,} | plain mkdocs | {plain:.2f} | 1.00 | {plain / on_full:.2f} | "
                     f"{r['plain']['cpu']:.1f} | | |")
    return "\n".join(lines) + "\n"


def run(sizes: list[int], runs: int, workdir: Path, synth, bench) -> str:
    return report([measure(n, runs, workdir, synth, bench) for n in sizes])
