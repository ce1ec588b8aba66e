"""init's next steps, followed literally on an existing rule set, leave lint with nothing but drafts to report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support import run_cli

CARELESS = Path(__file__).resolve().parent / "fixtures" / "careless" / "rules"


def test_init_with_rules_says_to_delete_the_example_alert_lint_would_otherwise_fail_on(tmp_path):
    """After init --rules, import and annotate, the only error lint had was the scaffold's example alert matching no
    rule, and nothing init printed said so."""
    shutil.copy(CARELESS / "plain.yaml", tmp_path / "plain.yaml")
    init = run_cli("init", "--site-url", "https://runbooks.example.com/", "--rules", "plain.yaml", "--no-ci",
                   cwd=tmp_path)
    assert init.code == 0, init
    assert run_cli("import", cwd=tmp_path).code == 0
    assert run_cli("annotate", cwd=tmp_path).code == 0
    findings = json.loads(run_cli("lint", "--format", "json", cwd=tmp_path).out)["findings"]
    errors = [(f["name"], f.get("alert")) for f in findings if f["level"] == "error"]
    assert errors == [("orphan-runbook", "ExampleHighErrorRate")]
    step = next(line for line in init.err.splitlines() if "ExampleHighErrorRate" in line)
    assert "delete the example alert ExampleHighErrorRate from runbooks.yaml" in step
