"""runbookgen annotate: every rule's runbook_url set to its page, in place, changing nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EDITED = ("groups.yaml", "k8s.yaml", "mixed.yaml")


@pytest.fixture
def api(tmp_path) -> Path:
    target = tmp_path / "api"
    shutil.copytree(FIXTURES / "annotate", target)
    shutil.rmtree(target / "expected")
    return target


def test_check_lists_what_would_change_and_exits_1(cli, api):
    result = cli("annotate", "--rules", "rules/", "--check", cwd=api)
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert lines[0] == ("rules/groups.yaml:15:24: alert 'ApiErrors': runbook_url is https://wiki.example.com/Api+Errors;"
                        " would set https://runbooks.example.com/api/alerts/apierrors.html")
    assert "rules/groups.yaml:26:9: alert 'ApiDown': runbook_url missing; would set " \
           "https://runbooks.example.com/api/alerts/apidown.html" in lines
    assert len(lines) == 10
    assert "10 runbook_url annotations would change in 3 files" in result.err
    for name in EDITED:  # --check writes nothing
        assert (api / "rules" / name).read_text() == (FIXTURES / "annotate" / "rules" / name).read_text()


def test_annotate_edits_only_the_runbook_url_lines(cli, api):
    result = cli("annotate", "--rules", "rules/", cwd=api)
    assert result.code == 0, result
    assert result.out == ("rules/groups.yaml: set 5 runbook_url annotations\n"
                          "rules/k8s.yaml: set 3 runbook_url annotations\n"
                          "rules/mixed.yaml: set 2 runbook_url annotations\n")
    for name in EDITED:  # groups: quoting and comments; k8s: a comment above ---, several documents, a List
        assert (api / "rules" / name).read_text() == (FIXTURES / "annotate" / "expected" / name).read_text(), name
    again = cli("annotate", "--rules", "rules/", "--check", cwd=api)
    assert again.code == 0, again
    assert "all 11 runbook_url annotations point at their runbooks" in again.err


def test_lint_agrees_with_the_urls_annotate_writes(cli, api):
    import json

    cli("annotate", "--rules", "rules/", cwd=api)
    report = json.loads(cli("lint", "--rules", "rules/", "--format", "json", cwd=api).out)
    assert not [f for f in report["findings"] if f["name"] in ("runbook-url-mismatch", "runbook-url-malformed")]
    assert [f["alert"] for f in report["findings"] if f["name"] == "runbook-url-missing"] == ["NoRunbookYet"]


def test_alerts_without_a_runbook_and_helm_templates_are_left_alone(cli, api):
    result = cli("annotate", "--rules", "rules/", cwd=api)
    assert "left alone, no runbook in the inventory: 1 alert (NoRunbookYet); runbookgen import adds them" in result.err
    assert "skipped rules/helm/rules.yaml: looks like a Helm or Go template" in result.err
    assert (api / "rules/helm/rules.yaml").read_text() == (FIXTURES / "annotate/rules/helm/rules.yaml").read_text()


def test_the_url_pattern_of_the_inventory_wins(cli, api):
    inventory = api / "runbooks.yaml"
    inventory.write_text(inventory.read_text() + "lint:\n  runbook_url: https://wiki.example.com/runbooks/{name}\n")
    (api / "mkdocs.yml").unlink()
    result = cli("annotate", "--rules", "rules/k8s.yaml", "--check", cwd=api)
    assert result.code == 1, result
    assert "would set https://wiki.example.com/runbooks/KubeTwo" in result.out


def test_without_site_url_annotate_says_to_set_it(cli, api):
    (api / "mkdocs.yml").write_text("site_name: Api runbooks\n")
    result = cli("annotate", "--rules", "rules/", cwd=api)
    assert result.code == 2
    assert result.err.startswith("mkdocs.yml:1:1: cannot tell where the runbook pages are published: set site_url "
                                 "in mkdocs.yml")


def test_directory_urls_give_folder_pages(cli, api):
    (api / "mkdocs.yml").write_text("site_name: Api\nsite_url: https://docs.example.com/\n")
    result = cli("annotate", "--rules", "rules/mixed.yaml", "--check", cwd=api)
    assert "would set https://docs.example.com/alerts/mixeda/" in result.out


def test_windows_line_ends_are_kept(cli, api):
    rules = api / "rules" / "crlf.yaml"
    rules.write_bytes(b"groups:\r\n  - name: a\r\n    rules:\r\n      - alert: MixedA\r\n        expr: vector(1)\r\n")
    assert cli("annotate", "--rules", "rules/crlf.yaml", cwd=api).code == 0
    assert rules.read_bytes() == (b"groups:\r\n  - name: a\r\n    rules:\r\n      - alert: MixedA\r\n"
                                  b"        expr: vector(1)\r\n        annotations:\r\n"
                                  b"          runbook_url: https://runbooks.example.com/api/alerts/mixeda.html\r\n")


def test_a_file_without_a_final_line_break_keeps_it_that_way(cli, api):
    rules = api / "rules" / "short.yaml"
    rules.write_text("groups:\n- name: a\n  rules:\n  - alert: MixedA\n    expr: vector(1)")
    assert cli("annotate", "--rules", "rules/short.yaml", cwd=api).code == 0
    assert rules.read_text() == ("groups:\n- name: a\n  rules:\n  - alert: MixedA\n    expr: vector(1)\n"
                                 "    annotations:\n"
                                 "      runbook_url: https://runbooks.example.com/api/alerts/mixeda.html")


def test_a_rule_file_that_is_not_yaml_is_an_input_error(cli, api):
    (api / "rules" / "broken.yaml").write_text("groups:\n  - name: [unclosed\n")
    result = cli("annotate", "--rules", "rules/broken.yaml", cwd=api)
    assert result.code == 2 and result.err.startswith("rules/broken.yaml:3:1: YAML syntax error")
    assert "Traceback" not in result.err


def test_annotations_that_are_not_a_mapping_are_reported(cli, api):
    (api / "rules" / "odd.yaml").write_text("groups:\n- name: a\n  rules:\n  - alert: MixedA\n    expr: vector(1)\n"
                                            "    annotations: [a, b]\n")
    before = (api / "rules" / "odd.yaml").read_bytes()
    result = cli("annotate", "--rules", "rules/odd.yaml", cwd=api)
    assert result.code == 1
    assert "rules/odd.yaml:6:18: alert 'MixedA': cannot set runbook_url: its annotations are not a mapping" in result.err
    assert (api / "rules" / "odd.yaml").read_bytes() == before
