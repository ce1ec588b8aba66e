"""The README's quickstart runs as written: its inventory validates, and its error example is real output."""

from __future__ import annotations

import re
import textwrap

from support import REPO

README = (REPO / "README.md").read_text()


def quickstart_inventory() -> str:
    return textwrap.dedent(re.search(r"```yaml\n(.*?)```", README, re.S).group(1))


def test_quickstart_inventory_validates_and_builds(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text(quickstart_inventory())
    assert cli("validate", cwd=tmp_path).code == 0
    result = cli("build", cwd=tmp_path)
    assert result.code == 0, result
    assert (tmp_path / "site" / "alerts" / "checkouthigherrorrate.html").is_file()


def test_quickstart_error_example_is_what_validate_prints(cli, tmp_path):
    broken = quickstart_inventory().replace("    summary:", "    sumary:").replace("query: errors", "query: error")
    (tmp_path / "runbooks.yaml").write_text(broken)
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2
    shown = textwrap.dedent(re.search(r"```text\n(   runbooks\.yaml:.*?)```", README, re.S).group(1))
    assert result.err == shown


def test_readme_commands_match_ci():
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
    assert "pip install . && .venv/bin/runbookgen build" in README
