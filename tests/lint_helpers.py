"""Helpers for the check and lint tests: write a small project (inventory + rule files) and lint it in-process."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RUNBOOKGEN_CORPUS", REPO.parent / "shared" / "corpus"))  # as tests/conftest.py

TODAY = dt.date(2026, 6, 1)

BASE_INVENTORY = """\
version: 1
service:
  name: Demo
  escalation:
    - name: Demo on-call
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


class Project:
    """A scratch folder with runbooks.yaml and rule files, linted in-process."""

    def __init__(self, root: Path):
        self.root = root

    def inventory(self, body: str = "", *, head: str = BASE_INVENTORY) -> Path:
        return write(self.root / "runbooks.yaml", head + textwrap.dedent(body).lstrip("\n"))

    def rules(self, text: str, name: str = "rules/app.yaml") -> Path:
        return write(self.root / name, text)

    def lint(self, *rules: str, config: str | None = None, day: dt.date = TODAY):
        from runbookgen.lint import run_lint
        from runbookgen.project import resolve_project

        patterns = tuple(str(self.root / r) for r in rules) if rules else ()
        project = resolve_project(str(self.root / "runbooks.yaml"), config=config, rules=patterns)
        return run_lint(project, day=day)

    def findings(self, *rules: str, code: str | None = None, **kwargs) -> list:
        result = self.lint(*rules, **kwargs)
        return [f for f in result.findings if code is None or f.code == code]


def alert_rule(name: str, severity: str = "critical", *, expr: str = "up == 0", url: str | None = None,
               extra: str = "") -> str:
    """One alerting rule as it appears under rules: (indented for a group)."""
    lines = [f"      - alert: {name}", f"        expr: {expr}", "        labels:", f"          severity: {severity}"]
    if url is not None:
        lines += ["        annotations:", f"          runbook_url: {url}"]
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n"


def group(*rules: str, name: str = "app") -> str:
    return f"groups:\n  - name: {name}\n    rules:\n" + "".join(rules)


def lint_paths(inventory_path, rules=(), config=None, *, day=None):
    """run_lint as the lint command calls it: the project resolved from these paths."""
    from runbookgen.lint import run_lint
    from runbookgen.project import resolve_project

    return run_lint(resolve_project(str(inventory_path), config=config, rules=tuple(rules)), day=day)


COMPLETE = """\
    investigation: [Look at the dashboard]
    mitigation: {immediate: [Roll back]}
    last_reviewed: 2026-05-01
"""


def entry(name: str, severity: str = "critical", extra: str = COMPLETE) -> str:
    """One runbook entry under alerts: (complete unless ``extra`` says otherwise)."""
    return f"  - name: {name}\n    severity: {severity}\n    summary: {name} fired\n" + extra
