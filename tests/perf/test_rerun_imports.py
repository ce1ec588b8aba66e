"""A lint that finds everything kept by an earlier run (the inventory, the PromQL verdicts) loads neither the
PromQL parser nor the inventory's checks: they are imported on first use, and the first run still uses them.
The report is the same both times."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from support import REPO

_PROBE = """
import sys
from runbookgen.cli import main
try:
    main(["lint"], prog_name="runbookgen")
except SystemExit as done:
    code = done.code
print("MODULES", sorted(m for m in sys.modules if m.startswith("runbookgen.")), "EXIT", code, file=sys.stderr)
"""
PARSER = ("runbookgen.queries.promql_fast", "runbookgen.queries.promql_semantics")
CHECKS = ("runbookgen.inventory.validate", "runbookgen.inventory.semantic", "runbookgen.inventory.partial")


def _lint(folder, cache):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-c", _PROBE], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=300)
    line = proc.stderr.rsplit("MODULES", 1)[1]
    modules = set(eval(line.split(" EXIT ")[0]))  # noqa: S307 - our own probe's output
    return proc.stdout, int(line.split(" EXIT ")[1]), modules


def test_a_rerun_imports_neither_the_promql_parser_nor_the_inventory_checks(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("runbooks.yaml", "mkdocs.yml"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "rules", project / "rules")
    first_out, first_code, first = _lint(project, tmp_path / "cache")
    again_out, again_code, again = _lint(project, tmp_path / "cache")
    assert set(PARSER + CHECKS) <= first, "the first run reads the queries and checks the inventory"
    assert not set(PARSER + CHECKS) & again, sorted(set(PARSER + CHECKS) & again)
    assert (again_out, again_code) == (first_out, first_code) and "alerting rules" in first_out
