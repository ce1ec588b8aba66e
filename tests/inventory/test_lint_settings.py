"""Lint settings as authors write them in YAML."""

from __future__ import annotations

from support import FIXTURES


def test_bare_off_turns_a_check_off(cli, tmp_path):
    """YAML reads a bare `off` as false; it must mean 'off', not a schema error."""
    text = (FIXTURES / "minimal" / "runbooks.yaml").read_text()
    text += "lint:\n  stale_after: 1d\n  checks:\n    stale-review: off\n    RB014: 'off'\n"
    (tmp_path / "runbooks.yaml").write_text(text)
    (tmp_path / "rules.yaml").write_text(
        "groups:\n  - name: g\n    rules:\n"
        "      - alert: HighErrorRate\n        expr: sum(rate(x[5m])) > 1\n        labels: {severity: critical}\n"
        "      - alert: Other\n        expr: up == 0\n        labels: {severity: warning}\n")
    assert cli("validate", cwd=tmp_path).code == 0
    result = cli("lint", "--rules", "rules.yaml", cwd=tmp_path)
    assert "stale-review" not in result.out and "RB013" not in result.out, result
    (tmp_path / "runbooks.yaml").write_text(text.replace("stale-review: off", "stale-review: warning"))
    result = cli("lint", "--rules", "rules.yaml", cwd=tmp_path)
    assert "RB013" in result.out, result
