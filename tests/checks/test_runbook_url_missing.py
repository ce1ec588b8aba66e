"""RB003 runbook-url-missing, with RB004 and RB005 on the same rules: the three runbook_url checks side by side."""

from __future__ import annotations

from lint_helpers import alert_rule, group, entry


def test_runbook_url_missing_malformed_and_mismatch(project):
    project.root.joinpath("mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://rb.example.com/svc\nuse_directory_urls: false\n")
    project.inventory("alerts:\n" + "".join(entry(n) for n in ("A", "B", "C", "D", "E", "F")))
    project.rules(group(
        alert_rule("A"),
        alert_rule("B", url="runbooks/b"),
        alert_rule("C", url="https://wiki.example.com/C"),
        alert_rule("D", url="https://RB.example.com/svc/alerts/d.html"),
        alert_rule("E", url="https://rb.example.com/svc/alerts/e.html/"),
        alert_rule("F", url='"https://rb.example.com/{{ $labels.alertname }}"')))
    found = [(f.code, f.alert, f.pos.line, f.message) for f in project.lint("rules").findings]
    assert found == [
        ("RB003", "A", 4, "alert 'A' has no runbook_url annotation; add runbook_url: "
                          "https://rb.example.com/svc/alerts/a.html"),
        ("RB004", "B", 13, "runbook_url of alert 'B' is not an absolute http(s) URL: 'runbooks/b'"),
        ("RB005", "C", 19, "runbook_url of alert 'C' is https://wiki.example.com/C, not its runbook page "
                           "https://rb.example.com/svc/alerts/c.html"),
        # a templated link is replaced by annotate, so lint says so first (annotate --check agrees)
        ("RB005", "F", 37, "runbook_url of alert 'F' is a template (https://rb.example.com/{{ $labels.alertname }}), "
                           "so which page it opens depends on the alert; annotate will point it at "
                           "https://rb.example.com/svc/alerts/f.html. To keep a runbook elsewhere, record a plain URL "
                           "as the entry's runbook_url"),
    ]
