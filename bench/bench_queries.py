"""PromQL parse throughput: runbookgen's parser against promql-parser and promtool, on the same queries.

    python bench/bench_queries.py [--corpus PATH] [--repeat N]

Query sets (each query once): the distinct PromQL expressions of bench/synth.py's 10,000 alerts, every
distinct PromQL rule expression in the shared corpus (kube-prometheus, OpenShift, GitLab, VictoriaMetrics
rule files), and the valid cases of Prometheus's own parser tests (../shared/conformance). Each parser
starts cold (runbookgen's verdict cache emptied); the best wall-clock time of N runs is shown, and for
runbookgen the median CPU time too, with the load average before and after. promtool is timed
on `promtool check rules` over one file holding the queries as rules, less the time it takes on one rule
(process start and YAML reading are its cost, not the parse). promql-parser is optional
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synth import alert_parts  # noqa: E402

from runbookgen.queries import promql, promql_lalr  # noqa: E402

CORPUS_RULES = ("prometheus-operator__kube-prometheus/manifests", "openshift__cluster-monitoring-operator/assets",
                "gitlab-com__runbooks/rules", "gitlab-com__runbooks/thanos-rules",
                "VictoriaMetrics__VictoriaMetrics/deployment/docker/rules")


def synthetic() -> list[str]:
    return sorted({p["expr"] for p in map(alert_parts, range(10000)) if not p["loki"]})


def upstream_tests(root: Path) -> list[str]:
    import json

    cases = json.loads((root / "promql-cases.json").read_text(encoding="utf-8"))
    return sorted({c["query"] for c in cases if c["expected"] == "valid" and not c.get("experimental")})


def corpus(root: Path) -> list[str]:
    from runbookgen.rules import read_rules

    ruleset = read_rules([str(root / path) for path in CORPUS_RULES if (root / path).exists()])
    return sorted({r.expr for r in ruleset.rules if r.dialect == "prometheus" and r.expr})


def timings(run, repeat: int) -> tuple[float, float]:
    """The best wall-clock time of ``repeat`` runs and their median CPU time (this process only)."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        gc.enable()
    return min(walls), statistics.median(cpus)


def best(run, repeat: int) -> float:
    return timings(run, repeat)[0]


def ours(exprs: list[str]) -> None:
    promql.forget_verdicts()
    for expr in exprs:
        promql.promql_problem(expr)


def promql_parser_run(exprs: list[str]) -> None:
    import promql_parser

    for expr in exprs:
        try:
            promql_parser.parse(expr)
        except Exception:  # noqa: BLE001 - its verdict does not matter here, its time does
            pass


def promtool_seconds(exprs: list[str], repeat: int) -> float | None:
    promtool = shutil.which("promtool")
    if promtool is None:
        return None
    import yaml

    with tempfile.TemporaryDirectory() as folder:
        def write(name: str, items: list[str]) -> str:
            path = os.path.join(folder, name)
            rules = [{"record": f"bench:rule{n}", "expr": e} for n, e in enumerate(items)]
            with open(path, "w", encoding="utf-8") as handle:
                yaml.safe_dump({"groups": [{"name": "bench", "rules": rules}]}, handle)
            return path

        many, one = write("many.yaml", exprs), write("one.yaml", exprs[:1])

        def timed(path: str) -> float:
            return best(lambda: subprocess.run([promtool, "check", "rules", path], capture_output=True), repeat)

        return max(timed(many) - timed(one), 0.0)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()
    promql_lalr._parser(promql._SEMANTICS)  # the grammar is loaded once per process; its cost is not the parse's
    sets = {"synthetic (bench/synth.py)": synthetic()}
    if args.corpus.is_dir():
        sets["real rule files (shared corpus)"] = corpus(args.corpus)
    if (args.corpus.parent / "conformance").is_dir():
        sets["Prometheus's parser tests (valid, standard syntax)"] = upstream_tests(args.corpus.parent / "conformance")
    try:
        import promql_parser  # noqa: F401
        have_promql_parser = True
    except ImportError:
        have_promql_parser = False
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; best wall of {args.repeat}, "
          "and runbookgen's median CPU seconds")
    print("| queries | count | runbookgen | runbookgen CPU (median) | promql-parser | promtool check rules |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, exprs in sets.items():
        mine, mine_cpu = timings(lambda: ours(exprs), args.repeat)
        theirs = best(lambda: promql_parser_run(exprs), args.repeat) if have_promql_parser else None
        tool = promtool_seconds(exprs, max(1, args.repeat // 2))

        def shown(seconds):
            return "n/a" if seconds is None else f"{seconds:.3f} s ({len(exprs) / seconds:,.0f}/s)" if seconds else "0"

        print(f"| {name} | {len(exprs):,} | {shown(mine)} | {mine_cpu:.3f} s | {shown(theirs)} | {shown(tool)} |")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
