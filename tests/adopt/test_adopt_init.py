"""runbookgen init: a scaffold that validates and builds as it stands, and never overwrites by surprise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
WRITTEN = ["runbooks.yaml", "runbooks.schema.json", "mkdocs.yml", ".pre-commit-config.yaml",
           ".github/workflows/runbooks.yml", ".gitlab-ci.yml"]


def test_init_writes_a_scaffold_that_validates_and_builds(cli, tmp_path):
    result = cli("init", "checkout", cwd=tmp_path)
    assert result.code == 0, result
    assert result.out.splitlines() == [f"wrote checkout/{name}" for name in WRITTEN]
    assert "1. list your rule files under lint: rules: in runbooks.yaml" in result.err
    folder = tmp_path / "checkout"
    inventory = (folder / "runbooks.yaml").read_text()
    assert inventory.startswith("# yaml-language-server: $schema=runbooks.schema.json\n")
    assert json.loads((folder / "runbooks.schema.json").read_text()) == json.loads(cli("schema").out)
    data = yaml.safe_load(inventory)
    assert data["service"]["name"] == "checkout"
    example = data["alerts"][0]
    for key in ("summary", "description", "impact", "expr", "for", "queries", "investigation", "causes", "mitigation",
                "resolution", "verification", "last_reviewed"):
        assert example.get(key), key
    assert cli("validate", cwd=folder).code == 0
    build = cli("build", cwd=folder)
    assert build.code == 0, build
    assert (folder / "site" / "alerts" / "examplehigherrorrate.html").is_file()


def test_init_refuses_to_overwrite_and_names_every_existing_file(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: mine}\n")
    (tmp_path / ".gitlab-ci.yml").write_text("stages: [test]\n")
    result = cli("init", cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [
        ".gitlab-ci.yml:1:1: already exists; init overwrites nothing unless --force is given",
        "runbooks.yaml:1:1: already exists; init overwrites nothing unless --force is given",
        "2 problems found"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitlab-ci.yml", "runbooks.yaml"]  # nothing written
    assert cli("init", "--force", cwd=tmp_path).code == 0
    assert "mine" not in (tmp_path / "runbooks.yaml").read_text()


def test_no_ci_leaves_ci_and_pre_commit_files_out(cli, tmp_path):
    (tmp_path / ".gitlab-ci.yml").write_text("stages: [test]\n")
    result = cli("init", "--no-ci", "--service", "Payments API", cwd=tmp_path)
    assert result.code == 0, result
    assert result.out.splitlines() == ["wrote runbooks.yaml", "wrote runbooks.schema.json", "wrote mkdocs.yml"]
    assert yaml.safe_load((tmp_path / "mkdocs.yml").read_text())["site_name"] == "Payments API runbooks"


def test_from_init_to_a_linted_annotated_inventory(cli, tmp_path):
    """The adoption story: init, import the rules' alerts, annotate the rules, lint, export."""
    shutil.copytree(FIXTURES / "import" / "rules", tmp_path / "alerts")
    result = cli("init", "runbooks", "--site-url", "https://runbooks.example.com/shop/", "--rules", "alerts/",
                 cwd=tmp_path)
    assert result.code == 0, result
    folder = tmp_path / "runbooks"
    assert yaml.safe_load((folder / "runbooks.yaml").read_text())["lint"]["rules"] == ["../alerts"]
    assert cli("import", "--severity-map", "P1=critical,urgent=critical,none=info", cwd=folder).code == 0
    assert cli("annotate", cwd=folder).code == 0
    assert cli("annotate", "--check", cwd=folder).code == 0
    report = json.loads(cli("lint", "--format", "json", cwd=folder).out)
    missing = [f["alert"] for f in report["findings"] if f["name"] == "missing-runbook"]
    assert missing == ["shopdown"]  # same page name as ShopDown: import says so
    assert cli("build", cwd=folder).code == 0


def test_ci_files_name_the_inventory_from_the_repository_root(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    assert cli("init", "ops/runbooks", cwd=tmp_path).code == 0
    folder = tmp_path / "ops" / "runbooks"
    workflow = yaml.safe_load((folder / ".github/workflows/runbooks.yml").read_text())
    assert workflow["env"]["INVENTORY"] == "ops/runbooks/runbooks.yaml"
    steps = [s.get("run", "") for s in workflow["jobs"]["runbooks"]["steps"]]
    assert 'runbookgen lint --inventory "$INVENTORY" --format github' in steps
    assert ('runbookgen build --inventory "$INVENTORY" --config ops/runbooks/mkdocs.yml --site-dir '
            "ops/runbooks/site") in steps


def test_a_site_url_must_be_a_url(cli, tmp_path):
    result = cli("init", "--site-url", "runbooks.example.com", cwd=tmp_path)
    assert result.code == 2 and "is not an http:// or https:// URL" in result.err
    assert list(tmp_path.iterdir()) == []
