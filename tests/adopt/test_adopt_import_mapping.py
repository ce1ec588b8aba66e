

def test_lint_wants_the_recorded_link_when_a_rule_points_elsewhere(cli, tmp_path):
    (tmp_path / "runbooks.yaml").write_text(
        "version: 1\nservice:\n  name: x\nlint:\n  rules: [rules.yaml]\nalerts:\n  - name: A\n    severity: critical\n"
        "    summary: s\n    runbook_url: https://wiki.example.com/A\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://runbooks.example.com/\n")
    (tmp_path / "rules.yaml").write_text("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n"
                                         "    labels: {severity: critical}\n"
                                         "    annotations: {runbook_url: 'https://runbooks.example.com/alerts/a/'}\n")
    report = json.loads(cli("lint", "--format", "json", cwd=tmp_path).out)
    found = [f for f in report["findings"] if f["name"] == "runbook-url-mismatch"]
    assert len(found) == 1 and "not its runbook page https://wiki.example.com/A" in found[0]["message"], found
    assert cli("annotate", cwd=tmp_path).code == 0
    assert "runbook_url: 'https://wiki.example.com/A'" in (tmp_path / "rules.yaml").read_text()
    report = json.loads(cli("lint", "--format", "json", cwd=tmp_path).out)
    assert not [f for f in report["findings"] if f["name"].startswith("runbook-url")]
