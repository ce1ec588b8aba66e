"""What export-rules checks before it writes: names and queries the rulers would refuse, then promtool itself.

A rule file Prometheus refuses is worse than none: the whole file fails to load.
So every label, annotation and group label name is checked against Prometheus'
label name grammar, every PromQL (and LogQL) expression is parsed, and, when promtool is
installed, the written file must pass ``promtool check rules`` before it replaces
the old one (a Thanos file is checked without ``partial_response_strategy``,
which only Thanos knows).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import yaml

from runbookgen.problems import InputError, Position, Problem
from runbookgen.yamlread.build import read_documents

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
PROMTOOL_SECONDS = 120


def rule_problems(inventory, documents: dict) -> list[Problem]:
    """Why Prometheus (or Loki) would refuse the rules about to be exported, at each alert's position."""
    from runbookgen.queries.promql import promql_error

    problems: list[Problem] = []
    for dialect, document in documents.items():
        for group in document["groups"]:
            for rule in group["rules"]:
                alert = inventory.alert(rule["alert"])
                where = alert.where if alert is not None else (lambda *keys: Position(inventory.path, 1, 1))
                label = f"alert {rule['alert']!r}"
                for kind, names, at in (("label", rule.get("labels", {}), ("labels",)),
                                        ("annotation", rule.get("annotations", {}), ("annotations",)),
                                        ("group label", group.get("labels", {}), ("group", "labels"))):
                    for name in names:
                        if not LABEL_NAME.fullmatch(name):
                            problems.append(Problem(where(*at, name), f"{label}: {kind} name {name!r} is not valid "
                                                    "for Prometheus (letters, digits and _, not starting with a "
                                                    "digit); rename it"))
                if dialect in ("prometheus", "thanos"):
                    error = promql_error(rule["expr"])
                    if error:
                        problems.append(Problem(where("expr"), f"{label}: expr is not valid PromQL: {error}; if "
                                                "vmalert evaluates its rule (MetricsQL), name that ruler in lint.rules "
                                                "({path: ..., ruler: vmalert}) and export again"))
                elif dialect == "loki":
                    from runbookgen.queries.logql import logql_error

                    error = logql_error(rule["expr"], metric=True)
                    if error:
                        guessed = alert is not None and not alert.datasource  # LogQL by its look: no datasource
                        hint = ("; if vmalert evaluates its rule (LogsQL, a type: vlogs group), name that ruler in "
                                "lint.rules ({path: ..., ruler: vmalert}) and export again" if guessed else "")
                        problems.append(Problem(where("expr"), f"{label}: expr is not valid LogQL: {error}{hint}"))
                # vmalert: MetricsQL, LogsQL and Graphite have no grammar here; export-rules says they are unchecked
    return sorted(set(problems), key=Problem.sort_key)


def promtool_path() -> str | None:
    return shutil.which("promtool")


def promtool_check(temp: str, *, shown: str) -> None:
    """Raise InputError unless promtool (when installed) accepts the rule file at ``temp``."""
    tool = promtool_path()
    if tool is None:
        return
    with open(temp, encoding="utf-8") as handle:
        data = read_documents(handle.read(), shown, typed=True)[0].data  # the file export has just written
    groups = (data or {}).get("groups") or []
    checked = temp
    folder = None
    if any("partial_response_strategy" in g for g in groups):  # Thanos only: check the rest with promtool
        folder = tempfile.mkdtemp(prefix="runbookgen-promtool-")
        checked = os.path.join(folder, os.path.basename(shown))
        with open(checked, "w", encoding="utf-8") as out:
            yaml.safe_dump({"groups": [{k: v for k, v in g.items() if k != "partial_response_strategy"}
                                       for g in groups]}, out, sort_keys=False, allow_unicode=True)
    try:
        proc = subprocess.run([tool, "check", "rules", checked], capture_output=True, text=True,
                              timeout=PROMTOOL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise InputError([Problem(Position(shown, 1, 1), f"could not run promtool check rules: {err}")]) from None
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).replace(checked, shown).strip()
        lines = [line.strip() for line in output.splitlines() if line.strip() and not line.startswith("Checking")]
        raise InputError([Problem(Position(shown, 1, 1), "promtool check rules refuses the exported file, so it was "
                                                          "not written: " + " | ".join(lines[:10]))])
