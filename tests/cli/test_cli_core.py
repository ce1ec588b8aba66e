"""The schema command, the generated inventory reference, and the help texts users read."""

from __future__ import annotations

import json

import jsonschema

from support import REPO
from runbookgen.inventory.reference import reference_markdown


def test_schema_command_prints_a_draft_2020_12_schema(cli):
    result = cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["version"] == {"const": 1, "description": "Format version; always 1."}
    assert schema["additionalProperties"] is False


def test_inventory_reference_is_generated_from_the_schema():
    """docs/inventory-reference.md must be regenerated when the schema changes:
    runbookgen schema --markdown > docs/inventory-reference.md"""
    committed = (REPO / "docs" / "inventory-reference.md").read_text()
    assert committed == reference_markdown()


def test_reference_names_every_alert_key(cli):
    result = cli("schema", "--markdown")
    schema = json.loads(cli("schema").out)
    for key in schema["$defs"]["alert"]["properties"]:
        assert f"| `{key}` |" in result.out


def test_help_texts_explain_commands_with_examples(cli):
    top = cli("--help")
    assert top.code == 0 and "Exit codes" in top.out
    for command in ("validate", "build", "schema"):
        result = cli(command, "--help")
        assert result.code == 0
        assert "runbookgen " + command in result.out or command == "schema"


def test_python_dash_m_and_version(cli):
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("runbookgen, version ")


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.code == 2 and "No such command 'frobnicate'" in result.err


def test_cli_reference_is_generated_from_the_commands():
    """docs/cli-reference.md must be regenerated when a command changes:
    python -m runbookgen.cli.reference > docs/cli-reference.md"""
    from runbookgen.cli.reference import cli_reference_markdown

    assert (REPO / "docs" / "cli-reference.md").read_text() == cli_reference_markdown()
