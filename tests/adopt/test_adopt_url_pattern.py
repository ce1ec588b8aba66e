"""A lint.runbook_url pattern that cannot be filled in is refused by the inventory loader, with its place,
before import, annotate or export-rules make a single URL from it."""

from __future__ import annotations

import pytest

from support import run_cli

RULES = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {severity: warning}\n"


@pytest.mark.parametrize("command", [("import",), ("annotate",), ("annotate", "--check"),
                                     ("export-rules", "--out", "out")])
@pytest.mark.parametrize("pattern, why", [("https://x.example/{nme}", "unknown field {nme}"),
                                          ("https://x.example/{slug", "is never closed"),
                                          ("https://x.example/}", "closes nothing")])
def test_a_bad_pattern_is_refused_where_it_is_written(tmp_path, command, pattern, why):
    (tmp_path / "rules.yaml").write_text(RULES)
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: api\nlint:\n  rules: [rules.yaml]\n"
        f"  runbook_url: '{pattern}'\nalerts:\n  - name: A\n    severity: warning\n    summary: A fires.\n"
        "    expr: up == 0\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: api\nsite_url: https://runbooks.example.com/\n")
    result = run_cli(*command, cwd=tmp_path)
    assert result.code == 2, result
    assert f"runbooks.yaml:6:16: lint.runbook_url: " in result.err and why in result.err, result
    assert "Traceback" not in result.err
    assert (tmp_path / "rules.yaml").read_text() == RULES


def test_a_pattern_with_a_literal_brace_and_no_site_url_field_needs_no_site_url(tmp_path):
    (tmp_path / "rules.yaml").write_text(RULES)
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: api\nlint:\n  rules: [rules.yaml]\n"
        "  runbook_url: 'https://wiki.example/{{site_url}}/{slug}'\nalerts:\n  - name: A\n    severity: warning\n"
        "    summary: A fires.\n    expr: up == 0\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: api\n")
    result = run_cli("annotate", cwd=tmp_path)
    assert result.code == 0, result
    assert "runbook_url: https://wiki.example/{site_url}/a" in (tmp_path / "rules.yaml").read_text()
