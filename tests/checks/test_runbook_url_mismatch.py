"""RB005 runbook-url-mismatch: the expected page address, from the pattern or the site."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_runbook_url_pattern_from_inventory_and_directory_urls(project):
    project.root.joinpath("mkdocs.yml").write_text("site_name: x\nsite_url: https://rb.example.com/\n")
    project.inventory("lint:\n  runbook_url: '{site_url}{path}'\nalerts:\n" + entry("A") + entry("B"))
    project.rules(group(alert_rule("A", url="https://rb.example.com/alerts/a/"),
                        alert_rule("B", url="https://rb.example.com/alerts/b.html")))
    project.root.joinpath("mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://rb.example.com/\nuse_directory_urls: true\n")
    assert [f.alert for f in project.findings("rules", code="RB005")] == ["B"]


def test_no_site_url_means_presence_only_and_a_note(project):
    project.inventory("alerts:\n" + entry("A"))
    project.rules(group(alert_rule("A", url="https://anything.example.com/a")))
    result = project.lint("rules")
    assert [f.code for f in result.findings] == []
    assert result.notes == ("runbook_url targets were not compared: set site_url in mkdocs.yml or "
                            "lint.runbook_url in the inventory",)


def test_templated_link_is_reported_as_annotate_will_replace_it(project):
    """lint and `annotate --check` agree: a templated link that is not the page's is a finding."""
    project.root.joinpath("mkdocs.yml").write_text("site_name: x\nsite_url: https://rb.example.com/\nuse_directory_urls: false\n")
    project.inventory("alerts:\n" + entry("A") + entry("B"))
    project.rules(group(alert_rule("A", url="https://wiki.example.com/runbooks/{{ $labels.job }}"),
                        alert_rule("B", url="https://rb.example.com/alerts/b.html")))
    findings = project.findings("rules", code="RB005")
    assert [f.alert for f in findings] == ["A"]
    assert "is a template" in findings[0].message
    assert "annotate will point it at https://rb.example.com/alerts/a.html" in findings[0].message
