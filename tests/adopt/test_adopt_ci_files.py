"""The CI and pre-commit files: what they run exists and works, and docs/ci.md shows what init writes."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from runbookgen.adopt.scaffold import ScaffoldSettings, scaffold_files

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def adopted(cli, tmp_path) -> Path:
    """A repository after init, import and annotate, as CI would check it out."""
    shutil.copytree(FIXTURES / "import" / "rules" / "prometheus", tmp_path / "rules")
    assert cli("init", "--site-url", "https://runbooks.example.com/", "--rules", "rules/", cwd=tmp_path).code == 0
    assert cli("import", "--severity-map", "urgent=critical,P1=critical,none=info",
               cwd=tmp_path).code == 0  # values the scaffolded severities do not list
    assert cli("annotate", cwd=tmp_path).code == 0
    return tmp_path


def runbookgen_commands(texts: list[str], env: dict) -> list[list[str]]:
    commands = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip().removeprefix("- ").removeprefix("run: ").removeprefix("entry: ")
            if line.startswith("runbookgen "):
                commands.append([os.path.expandvars(word) if "$" in word else word
                                 for word in shlex.split(line.replace("$INVENTORY", env["INVENTORY"]))])
    return commands


def test_every_command_in_the_ci_files_runs(cli, adopted):
    texts = [(adopted / name).read_text() for name in (".github/workflows/runbooks.yml", ".gitlab-ci.yml",
                                                       ".pre-commit-config.yaml")]
    commands = runbookgen_commands(texts, {"INVENTORY": "runbooks.yaml"})
    assert len(commands) == 10
    for command in commands:
        result = cli(*command[1:], cwd=adopted)
        allowed = (0, 1) if command[1] == "lint" else (0,)  # lint reports the drafts
        assert result.code in allowed, (command, result)
    assert (adopted / "runbookgen-lint.xml").read_text().startswith("<?xml")
    assert (adopted / "site" / "index.html").is_file()


def test_pre_commit_hooks_file_offers_validate_and_lint(cli, adopted):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert {"runbookgen-validate", "runbookgen-lint"} <= set(by_id)
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert set(hook) <= {"id", "name", "description", "entry", "language", "pass_filenames", "files"}
        command = shlex.split(hook["entry"])
        assert command[0] == "runbookgen"
        assert cli(*command[1:], cwd=adopted).code in (0, 1), hook["id"]


def test_docs_show_the_files_init_writes():
    docs = (REPO / "docs" / "ci.md").read_text()
    files = scaffold_files(ScaffoldSettings(service="checkout"), dt.date(2026, 1, 1))
    for name in (".github/workflows/runbooks.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"):
        assert f"```yaml\n{files[name]}```" in docs, f"docs/ci.md is out of date with the {name} init writes"
    for block in docs.split("```yaml\n")[1:]:
        yaml.safe_load(block.split("```")[0])  # every example is valid YAML
