"""A valid inventory is settled by the compiled validator alone: the pure-Python reference validator (and
its import) is only for wording what is wrong."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("jsonschema_rs")

CODE = """
import sys
from runbookgen.inventory import load_inventory
from runbookgen.problems import InputError
try:
    load_inventory("runbooks.yaml")
    print("valid", "jsonschema" in sys.modules)
except InputError as err:
    print("invalid", "jsonschema" in sys.modules, err.problems[0].message)
"""
VALID = "version: 1\nservice: {name: S, escalation: [{name: On-call}]}\nalerts:\n  - {name: A, severity: warning, summary: s}\n"


def _load(folder, text: str) -> str:
    (folder / "runbooks.yaml").write_text(text)
    return subprocess.run([sys.executable, "-c", CODE], cwd=folder, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_valid_inventory_never_loads_the_reference_validator(tmp_path):
    assert _load(tmp_path, VALID) == "valid False"


def test_an_invalid_one_is_worded_by_the_reference_validator(tmp_path):
    out = _load(tmp_path, VALID.replace("severity: warning", "severity: 3"))
    assert out.startswith("invalid True") and "must be a string" in out, out
