"""An inventory in a folder whose name holds glob characters: its include: patterns still match."""

from __future__ import annotations

import pytest

from lint_helpers import BASE_INVENTORY
from support import run_cli

INVENTORY = BASE_INVENTORY + "include:\n  - parts/*.yaml\nalerts: []\n"
PART = "alerts:\n  - {name: AppDown, severity: critical, summary: The app is down}\n"


@pytest.mark.parametrize("folder", ["team[1]", "[!x]", "a*b?c"])
def test_include_globs_are_relative_to_the_folder_by_name(tmp_path, folder):
    base = tmp_path / folder
    (base / "parts").mkdir(parents=True)
    (base / "runbooks.yaml").write_text(INVENTORY, encoding="utf-8")
    (base / "parts" / "app.yaml").write_text(PART, encoding="utf-8")
    result = run_cli("validate", "--inventory", base / "runbooks.yaml", cwd=tmp_path)
    assert result.code == 0, result
    (base / "parts" / "app.yaml").unlink()
    result = run_cli("validate", "--inventory", base / "runbooks.yaml", cwd=tmp_path)
    assert result.code == 2 and "parts/*.yaml" in result.err, result
