"""Check options: declared beside the checks, and the schema, the reference and the pages follow.

The ``lint`` block of schema.json is generated from the declarations (``scripts/write_schema.py``);
these tests fail while the committed schema and the declarations disagree.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from lint_helpers import REPO, alert_rule, entry, group

from runbookgen.checks import stale_review
from runbookgen.checks.options import Option, declared_options, schema_with_options, schema_text
from runbookgen.checks.registry import CHECKS
from runbookgen.inventory.reference import reference_markdown
from runbookgen.report.check_pages import check_page

SCHEMA_PATH = REPO / "runbookgen" / "inventory" / "schema.json"
# The keys under lint: that configure the linter itself rather than what a check looks for.
LINTER_SETTINGS = {"rules", "checks", "waivers", "prometheus", "loki"}
LINTER_BLOCK_SETTINGS = {
    "prometheus": {"url", "headers", "bearer_token_env", "timeout", "concurrency", "datasources", "version",
                   "features"},
    "loki": {"version"},
}


def committed_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_the_committed_schema_is_what_the_declarations_generate():
    schema = committed_schema()
    generated = schema_with_options(schema, declared_options(CHECKS))
    assert schema_text(generated) == SCHEMA_PATH.read_text(encoding="utf-8"), \
        "schema.json's lint block disagrees with the checks' OPTIONS: run python scripts/write_schema.py"


def test_every_key_of_the_lint_block_is_declared_by_a_check_or_is_the_linters_own():
    lint = committed_schema()["properties"]["lint"]["properties"]
    declared = declared_options(CHECKS)
    top = {key for key in declared if "." not in key}
    assert set(lint) == top | LINTER_SETTINGS
    for block, own in LINTER_BLOCK_SETTINGS.items():
        nested = {key.split(".", 1)[1] for key in declared if key.startswith(block + ".")}
        assert set(lint[block]["properties"]) == nested | own


def test_a_changed_declaration_is_seen():
    """The comparison above can fail: a declaration that differs from schema.json gives another schema."""
    schema = committed_schema()
    options = declared_options(CHECKS)
    options["stale_after"] = replace(options["stale_after"], default="90d")
    assert schema_with_options(schema, options) != schema
    options["new_setting"] = Option("new_setting", "string", "x", "Something new")
    assert "new_setting" in schema_with_options(schema, options)["properties"]["lint"]["properties"]


def test_one_key_one_declaration():
    class Check:
        NAME = "other-check"
        OPTIONS = (Option("stale_after", "duration", "30d", "Something else"),)

    with pytest.raises(ValueError, match="stale_after"):
        declared_options((stale_review, Check))
    with pytest.raises(ValueError, match="unknown type"):
        Option("x", "colour", None, "A colour")


def test_declared_defaults_are_what_an_inventory_without_them_gets(project):
    from runbookgen.inventory import load_inventory

    path = project.inventory("alerts: []\nlint:\n  prometheus: {url: 'http://127.0.0.1:9'}\n")
    settings = load_inventory(str(path)).lint
    for key, option in declared_options(CHECKS).items():
        value = settings
        for part in option.path:
            value = getattr(value, part)
        assert (value or None) == (option.default or None), key


def test_the_default_window_is_the_declared_one(project):
    project.inventory("alerts:\n" + entry("Old", "warning", extra="    last_reviewed: 2025-12-01\n"))
    project.rules(group(alert_rule("Old", "warning")))
    found = project.findings("rules", code="RB013")
    assert [f.message for f in found] == [
        f"runbook 'Old' was last reviewed on 2025-12-01, 182 days ago (limit: {stale_review.STALE_AFTER.default})"]


def test_pages_and_reference_show_each_option_with_its_default():
    reference = reference_markdown()
    for check in CHECKS:
        page = check_page(check)
        for option in getattr(check, "OPTIONS", ()):
            assert f"| `lint.{option.key}` | {option.type_words()} |" in page
            assert option.described() in reference.replace("\\|", "|")
        if not getattr(check, "OPTIONS", ()):
            assert "## Options" not in page
