"""The README's adoption path, run on a real rule set as a new user would: import, annotate, lint, build, export.

Shared by the corpus tests and ``bench/bench_adoption.py``. Each step runs the
command line in a subprocess; what a test or the benchmark needs to judge is
collected in ``Adoption``: exit codes, outputs, times, and the rule files before
and after annotate.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SETS = {  # name -> (folders under the corpus, extra inventory settings[, the ruler named for rules/])
    "kube-prometheus": (("prometheus-operator__kube-prometheus/manifests",), "  exempt_severities: [none]\n"),
    "OpenShift": (("openshift__cluster-monitoring-operator/assets",), ""),
    "GitLab": (("gitlab-com__runbooks/rules", "gitlab-com__runbooks/thanos-rules"), ""),
    "VictoriaMetrics": (("VictoriaMetrics__VictoriaMetrics/deployment/docker/rules",), ""),
    "VictoriaMetrics (ruler: vmalert)": (("VictoriaMetrics__VictoriaMetrics/deployment/docker/rules",
                                          "VictoriaMetrics__VictoriaMetrics/vmalert-testdata"), "", "vmalert"),
}
PUBLIC = Path(__file__).resolve().parent / "fixtures"
PUBLIC_SETS = {  # name -> (folders under tests/adopt/fixtures, extra inventory settings): sets not in the corpus
    "Thanos": (("thanos",), ""),
    "Loki mixin": (("loki",), ""),
    "Kentik (Grafana-managed)": (("kentik-grafana",), ""),
    "Ceph mixin (excerpt)": (("ceph",), ""),
}
SUGGESTED_MAP = re.compile(r"runbookgen import --severity-map (\S+)")


@dataclass
class Step:
    code: int
    out: str
    err: str
    seconds: float


@dataclass
class Adoption:
    root: Path
    steps: dict[str, Step] = field(default_factory=dict)
    severity_map: str = ""
    before: dict[str, str] = field(default_factory=dict)  # rule file (relative) -> text before annotate

    def rule_files(self) -> list[Path]:
        return sorted(p for p in (self.root / "rules").rglob("*") if p.is_file()
                      and p.suffix in (".yaml", ".yml", ".rules", ".json") and p.name != "README.md")

    def changed_lines(self) -> list[tuple[str, str, str]]:
        """(file, removed or added line) for every line annotate changed, '-'/'+' first."""
        out = []
        for path in self.rule_files():
            name = path.relative_to(self.root).as_posix()
            old, new = self.before[name].splitlines(), path.read_text(encoding="utf-8-sig").splitlines()
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
                if tag != "equal":
                    out += [(name, "-", line) for line in old[i1:i2]] + [(name, "+", line) for line in new[j1:j2]]
        return out


def run(root: Path, *args: str, timeout: int = 900) -> Step:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "runbookgen", *args], cwd=root, capture_output=True, text=True,
                          timeout=timeout, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    return Step(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


def prepare(corpus: Path, name: str, root: Path) -> Adoption:
    """A project in ``root`` with the set's rule files under rules/ (from the corpus, or for PUBLIC_SETS from
    tests/adopt/fixtures)."""
    folders, lint_extra, *ruler = SETS[name] if name in SETS else PUBLIC_SETS[name]
    base = corpus if name in SETS else PUBLIC
    root.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        # contents only: the shared corpus is stored read-only, a team's checkout is not (annotate leaves a
        # read-only rule file alone)
        shutil.copytree(base / folder, root / "rules" / Path(folder).name,
                        ignore=shutil.ignore_patterns("README.md"), copy_function=shutil.copyfile)
    rules = f"[{{path: rules/, ruler: {ruler[0]}}}]" if ruler else "[rules/]"
    (root / "runbooks.yaml").write_text(f"version: 1\nservice:\n  name: '{name}'\nlint:\n  rules: {rules}\n"
                                        f"{lint_extra}")
    (root / "mkdocs.yml").write_text(f"site_name: '{name} runbooks'\nsite_url: https://runbooks.example.com/\n")
    return Adoption(root)


def adopt(adoption: Adoption, *, build: bool = False) -> Adoption:
    """import (with the suggested severity map when it asks for one), annotate, lint, [build], export-rules."""
    root = adoption.root
    first = run(root, "import")
    adoption.steps["import (first try)"] = first
    if first.code == 2 and SUGGESTED_MAP.search(first.err):
        adoption.severity_map = SUGGESTED_MAP.search(first.err).group(1)
        adoption.steps["import"] = run(root, "import", "--severity-map", adoption.severity_map)
    else:
        adoption.steps["import"] = first
    adoption.before = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8-sig") for p in adoption.rule_files()}
    adoption.steps["promtool before"] = promtool_verdicts(adoption)
    adoption.steps["annotate"] = run(root, "annotate")
    adoption.steps["annotate --check"] = run(root, "annotate", "--check")
    adoption.steps["promtool after"] = promtool_verdicts(adoption)
    adoption.steps["lint"] = run(root, "lint", "--format", "json")
    if build:
        adoption.steps["build"] = run(root, "build", timeout=1800)
    adoption.steps["export-rules"] = run(root, "export-rules", "--out", "exported")
    exported = sorted(str(p) for p in (root / "exported").glob("prometheus.rules.yaml")) \
        if (root / "exported").is_dir() else []
    adoption.steps["promtool exported"] = promtool(root, exported)
    return adoption


def promtool_verdicts(adoption: Adoption) -> Step:
    """promtool's verdict on every rule file in one run (a verdict per file; PrometheusRule manifests fail)."""
    return promtool(adoption.root, [str(p.relative_to(adoption.root)) for p in adoption.rule_files()])


def promtool(root: Path, files: list[str]) -> Step:
    tool = shutil.which("promtool")
    if not tool or not files:
        return Step(-1, "", "promtool not installed" if not tool else "no files", 0.0)
    started = time.perf_counter()
    proc = subprocess.run([tool, "check", "rules", *files], cwd=root, capture_output=True, text=True, timeout=300)
    return Step(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)
