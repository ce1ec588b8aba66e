"""The adoption path on rule files as careless users leave them: empty values, read-only files.

Each rule file here passes ``promtool check rules``; annotate must edit what it may, leave alone
what the user protected, and name every rule it did not set, with its place and the reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from support import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "careless"
SITE = "https://runbooks.example.com/"


def page(name: str) -> str:
    return f"{SITE}alerts/{name.lower()}.html"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "rules", tmp_path / "rules")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice:\n  name: careless\nlint:\n  rules: [rules/]\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: careless\nsite_url: {SITE}\nuse_directory_urls: false\n")
    result = run_cli("import", cwd=tmp_path)
    assert result.code == 0, result
    return tmp_path


def annotations_of(path: Path) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {r["alert"]: r.get("annotations") or {} for g in data["groups"] for r in g["rules"]}


def test_a_runbook_url_key_written_without_a_value_gets_one(project):
    """``runbook_url:`` with nothing after it, followed by more keys: promtool reads it as empty; annotate fills it
    in place instead of refusing."""
    target = project / "rules" / "empty-values.yaml"
    before = target.read_text()
    result = run_cli("annotate", cwd=project)
    assert result.code == 0, result
    after = target.read_text()
    assert annotations_of(target)["NullUrl"] == {"runbook_url": page("NullUrl"), "summary": "y"}
    # filled on its own line: the rule's lines are the old ones with the value after the colon
    old_rule = before[before.index("- alert: NullUrl"):before.index("- alert: BlockUrl")]
    assert old_rule.replace("runbook_url:\n", f"runbook_url: {page('NullUrl')}\n") in after
    again = run_cli("annotate", "--check", cwd=project)
    assert again.code == 0, again
