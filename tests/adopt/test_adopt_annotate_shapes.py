"""annotate on every YAML shape rulers accept: only runbook_url changes, every other byte stays."""

from __future__ import annotations

import difflib
import json
import os
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbookgen.adopt.rule_edit import Refused, plan_splice
from runbookgen.adopt.splice_check import apply_splices, verified
from runbookgen.adopt.rule_nodes import alert_sites
from runbookgen.yamlread.tree import read_tree, signatures

SITE = "https://runbooks.example.com/"
INVENTORY = """version: 1
service:
  name: api
alerts:
""" + "".join(f"  - name: {n}\n    severity: warning\n    summary: {n} fires.\n" for n in ("A", "B", "C"))


def url(name: str) -> str:
    return f"{SITE}alerts/{name.lower()}.html"


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: api\nsite_url: {SITE}\nuse_directory_urls: false\n")
    return tmp_path


def with_urls(data, names=("A", "B", "C")):
    """The data of a rule file with runbook_url set for every alert named in ``names``."""
    docs = data if isinstance(data, list) else [data]
    for doc in docs:
        holder = doc["spec"] if isinstance(doc, dict) and doc.get("kind") == "PrometheusRule" else doc
        for group in (holder or {}).get("groups", []):
            for rule in group["rules"]:
                if rule.get("alert") in names:
                    rule["annotations"] = dict(rule.get("annotations") or {}, runbook_url=url(rule["alert"]))
    return data


def changed_lines(before: str, after: str) -> list[str]:
    """The lines added, and the lines removed that are not replaced by a line holding runbook_url."""
    old, new = before.splitlines(), after.splitlines()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out += ["+ " + line for line in new[j1:j2]]
        replaced_by_url = sum("runbook_url" in line for line in new[j1:j2])
        out += ["- " + line for line in old[i1 + replaced_by_url:i2]]
    return out


SHAPES = {
    "value wrapped onto a second line, even expr": (
        "groups:\n- name: a\n  rules:\n  - alert: A\n    expr:\n      up\n      == 0\n    annotations:\n"
        "      summary:\n        wrapped\n        over lines\n"),
    "| and > blocks indented far past their key": (
        "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: |\n                up == 0\n"
        "        annotations:\n          description: >\n                    folded\n                    text\n"),
    "multi-line double- and single-quoted strings": (
        'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: "up\n      == 0"\n    annotations:\n'
        "      summary: 'one\n        two'\n      runbook_url: \"https://old.example.com/a\"\n"),
    "flow mappings, and a rule that is one": (
        "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations: {summary: x, team: y}\n"
        "  - {alert: B, expr: up}\n  - {alert: C, expr: up, annotations: {}}\n"),
    "comments everywhere": (
        "# head\ngroups: # g\n- name: a # n\n  rules:\n  # before\n  - alert: A # the alert\n    expr: up # e\n"
        "    annotations: # a\n      summary: s   # keep these spaces\n    # after the annotations\n# at the end\n"),
    "tabs inside strings": 'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: "up\t== 0"\n    annotations:\n      s: "a\tb"\n',
    "a kept block |+ last in the annotations": (
        "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      d: |+\n        x\n\n"
        "  - alert: B\n    expr: up\n"),
    "an anchor nobody aliases, and a tag": (
        "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations: &mine\n"
        "      runbook_url: !!str &u https://old.example.com/a\n"),
    "PrometheusRule documents with a comment above ---": (
        "# generated\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n"
        "    groups:\n        -   name: a\n            rules:\n                -   alert: A\n                    expr: up\n"
        "---\nkind: ConfigMap\n---\nkind: PrometheusRule\nspec:\n  groups:\n  - name: b\n    rules:\n"
        "    - alert: B\n      expr: up\n      labels:\n        severity: warning\n"),
    "no line break at the end": "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up",
    "a > block last, at the end of a file without a final line break": (
        "groups:\n- name: a\n  rules:\n    - alert: A\n      expr: up\n      annotations:\n        title: t\n"
        "        description: >\n          no line break follows"),
    "annotations: with nothing after it, and ~": (
        "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n    for: 5m\n"
        "  - alert: B\n    expr: up\n    annotations: ~\n"),
    "quoted keys": (
        "groups:\n- name: a\n  rules:\n  - \"alert\": A\n    \"expr\": up\n    \"annotations\":\n"
        "      \"summary\": \"s\"\n"),
    "UTF-8 text": "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      summary: «ça brûle» ☃\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_gets_runbook_url_and_nothing_else_changes(cli, project, shape):
    text = SHAPES[shape]
    rules = project / "rules.yaml"
    rules.write_bytes(text.encode())
    result = cli("annotate", "--rules", "rules.yaml", cwd=project)
    assert result.code == 0, result
    after = rules.read_bytes().decode()
    assert list(yaml.safe_load_all(after)) == [with_urls(d) for d in yaml.safe_load_all(text)]
    for line in changed_lines(text, after):  # only runbook_url lines (and an annotations: key above one)
        assert "runbook_url" in line or "annotations" in line, (shape, line)
    assert cli("annotate", "--rules", "rules.yaml", "--check", cwd=project).code == 0


def test_a_runbook_url_written_over_two_lines_becomes_one(cli, project):
    text = 'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      runbook_url: "https://x\n        /a"  # c\n'
    (project / "rules.yaml").write_text(text)
    assert cli("annotate", "--rules", "rules.yaml", cwd=project).code == 0
    assert (project / "rules.yaml").read_text() == text.replace('"https://x\n        /a"', f'"{url("A")}"')


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("bom", [True, False])
def test_line_ends_and_byte_order_mark_are_kept(cli, project, newline, bom):
    text = "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      s: x\n"
    raw = ("\ufeff" if bom else "") + text.replace("\n", newline)
    (project / "rules.yaml").write_bytes(raw.encode())
    assert cli("annotate", "--rules", "rules.yaml", cwd=project).code == 0
    expected = raw + f"      runbook_url: {url('A')}{newline}"
    assert (project / "rules.yaml").read_bytes() == expected.encode()


def test_a_json_rule_file_stays_json(cli, project):
    data = {"groups": [{"name": "a", "rules": [
        {"alert": "A", "expr": "up", "annotations": {"summary": "s", "runbook_url": "https://old.example.com/"}},
        {"alert": "B", "expr": "up", "annotations": {"summary": "s"}},
        {"alert": "C", "expr": "up"}]}]}
    for indent in (None, 2):
        (project / "rules.json").write_text(json.dumps(data, indent=indent))
        assert cli("annotate", "--rules", "rules.json", cwd=project).code == 0
        assert json.loads((project / "rules.json").read_text()) == with_urls(json.loads(json.dumps(data)))


def test_annotations_shared_through_an_anchor_are_named_and_the_rest_is_edited(cli, project):
    text = ("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    annotations: &ann\n      summary: s\n"
            "  - alert: B\n    expr: up\n    annotations: *ann\n  - alert: C\n    expr: up\n")
    (project / "rules.yaml").write_text(text)
    result = cli("annotate", "--rules", "rules.yaml", cwd=project)
    assert result.code == 1, result
    assert "rules.yaml:6:18: alert 'A': cannot set runbook_url: its annotations are anchored as &ann, shared with " \
           "line 10" in result.err
    assert "rules.yaml:10:18: alert 'B': cannot set runbook_url: its annotations are the alias *ann" in result.err
    assert "mixed indentation" not in result.err and "Traceback" not in result.err
    after = (project / "rules.yaml").read_text()
    assert after == text + f"    annotations:\n      runbook_url: {url('C')}\n"
    check = cli("annotate", "--rules", "rules.yaml", "--check", cwd=project)
    assert check.code == 1 and "rules.yaml:6:18: alert 'A': cannot set runbook_url" in check.err


def test_an_alias_bomb_ends_fast_with_a_clear_error(cli, project):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
    text = "\n".join(levels) + "\ngroups:\n- name: x\n  rules:\n  - alert: A\n    expr: up\n    annotations: *i\n"
    assert len(text) < 700
    (project / "bomb.yaml").write_text(text)
    started = time.monotonic()
    result = cli("annotate", "--rules", "bomb.yaml", cwd=project, timeout=60)
    assert time.monotonic() - started < 20
    # The rule reader refuses the file before annotate looks at it: unusable input, at the alias.
    assert result.code == 2, result
    assert "bomb.yaml:6:8:" in result.err and "alias bomb" in result.err and "Traceback" not in result.err
    assert (project / "bomb.yaml").read_text() == text


def test_a_symlinked_rule_file_stays_a_link_and_keeps_mode_and_hard_links(cli, project):
    real = project / "real"
    real.mkdir()
    target = real / "rules.yaml"
    target.write_text("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n")
    os.chmod(target, 0o640)
    os.link(target, real / "hard.yaml")
    (project / "rules.yaml").symlink_to(target)
    assert cli("annotate", "--rules", "rules.yaml", cwd=project).code == 0
    assert (project / "rules.yaml").is_symlink()
    assert f"runbook_url: {url('A')}" in target.read_text()
    assert (real / "hard.yaml").read_text() == target.read_text()
    assert target.stat().st_mode & 0o777 == 0o640
    assert not [p for p in real.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_an_unparsable_file_is_reported_with_its_position_and_not_written(cli, project):
    (project / "rules.yaml").write_text("groups:\n- name: a\n  rules: [\n")
    result = cli("annotate", "--rules", "rules.yaml", cwd=project)
    assert result.code == 2 and result.err.startswith("rules.yaml:4:1:"), result


# ---- generated shapes: random scalar styles, indentation and comments -------------------------------------

def _scalar(draw, text: str, indent: int) -> str:
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded", "wrapped"]))
    pad = " " * (indent + draw(st.integers(2, 9)))
    if style == "plain":
        return " " + text
    if style == "single":
        return " '" + text.replace("'", "''") + "'"
    if style == "double":
        return " " + json.dumps(text)
    if style == "wrapped":
        head, _, tail = text.partition(" ")
        return "\n" + pad + head + ("\n" + pad + tail if tail else "")
    return f" {'|' if style == 'literal' else '>'}{draw(st.sampled_from(['', '-', '+']))}\n{pad}{text}\n"


@st.composite
def rule_files(draw):
    step = draw(st.sampled_from([2, 3, 4]))
    dash = draw(st.sampled_from([0, step]))
    comment = draw(st.sampled_from(["", "  # note", " #x"]))
    lines = ["groups:" + comment, " " * dash + "- name: g" + comment, " " * (dash + 2) + "rules:"]
    for name in ("A", "B", "C"):
        col = dash + 2 + dash + 2  # rules: is at dash + 2, its items' dash `dash` further
        lines.append(" " * (col - 2) + "- alert: " + name + comment)
        lines.append(" " * col + "expr:" + _scalar(draw, "up == 0", col).rstrip("\n"))
        shape = draw(st.sampled_from(["none", "block", "flow", "with url"]))
        if shape == "block":
            lines.append(" " * col + "annotations:" + comment)
            lines.append(" " * (col + step) + "summary:" + _scalar(draw, "it is down", col + step).rstrip("\n"))
        elif shape == "flow":
            lines.append(" " * col + "annotations: {summary: 'it is down'}" + comment)
        elif shape == "with url":
            lines.append(" " * col + "annotations:")
            lines.append(" " * (col + step) + "runbook_url:" + _scalar(draw, "https://old.example.com/x", col + step)
                         .rstrip("\n"))
        if draw(st.booleans()):
            lines.append(" " * col + "labels: {severity: warning}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_files())
def test_generated_rule_files_are_edited_exactly(text):
    try:
        original = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return  # the generator made something YAML itself refuses; nothing to edit
    roots = read_tree(text)
    splices = []
    for site in alert_sites(roots):
        try:
            splices.append(plan_splice(text, site, url(site.name))[0])
        except Refused as why:  # pragma: no cover - would be a failure below
            pytest.fail(f"refused {site.name}: {why.message}\n{text}")
    after = apply_splices(text, splices)
    assert verified(signatures(text), after, splices), text + "\n----\n" + after
    assert list(yaml.safe_load_all(after)) == [with_urls(d) for d in original], after
    for line in changed_lines(text, after):
        assert "runbook_url" in line or "annotations" in line or "example.com" in line, (text, after)


@st.composite
def json_rule_files(draw):
    """JSON rule files (any indentation, or none), some rules with annotations, some with a runbook_url."""
    rules = []
    for name in ("A", "B", "C"):
        rule = {"alert": name, "expr": draw(st.sampled_from(["up == 0", "sum(rate(x[5m])) > 1"]))}
        shape = draw(st.sampled_from(["none", "empty", "summary", "url"]))
        if shape == "empty":
            rule["annotations"] = {}
        elif shape == "summary":
            printable = st.characters(blacklist_categories=("Cc", "Cs"), max_codepoint=0xFFFD)  # what YAML may hold
            rule["annotations"] = {"summary": draw(st.text(printable, min_size=1, max_size=20))}
        elif shape == "url":
            rule["annotations"] = {"runbook_url": "https://old.example.com/x", "summary": "s"}
        rules.append(rule)
    indent = draw(st.sampled_from([None, 1, 2, 4, "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = json.dumps({"groups": [{"name": "g", "rules": rules}]}, indent=indent,
                      ensure_ascii=draw(st.booleans()))
    return text.replace("\n", newline)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_rule_files())
def test_generated_json_rule_files_stay_json_and_change_only_runbook_url(text):
    roots = read_tree(text)
    splices = [plan_splice(text, site, url(site.name))[0] for site in alert_sites(roots)]
    after = apply_splices(text, splices)
    assert verified(signatures(text), after, splices), after
    assert json.loads(after) == with_urls(json.loads(text))
    if "\r\n" in text:  # new lines end as the file's do
        assert "\n" not in after.replace("\r\n", "")
