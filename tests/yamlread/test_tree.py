"""annotate's tree: offsets that slice the text, lines and columns from 1, the package's error and limits."""

from __future__ import annotations

import pytest

from runbookgen.yamlread import tree
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.tree import read_tree, signatures


def test_nodes_know_their_text_and_place():
    text = "# c\ngroups:\n  - name: g\n    rules:\n      - alert: A\n        annotations: &a {summary: \"S\"}\n" \
           "      - alert: B\n        annotations: *a\n"
    [root] = read_tree(text, "r.yaml")
    [(key, groups)] = root.get("groups")
    assert (key.line, key.col) == (2, 1) and text[key.start:key.end] == "groups"
    rule_a, rule_b = groups.items[0].get("rules")[0][1].items
    [(_, annotations)] = rule_a.get("annotations")
    assert text[annotations.start:annotations.end] == '&a {summary: "S"}' and annotations.flow  # from its anchor
    assert (annotations.line, annotations.col) == (6, 22)
    [(_, summary)] = annotations.get("summary")
    assert summary.style == '"' and summary.value == "S" and text[summary.start:summary.end] == '"S"'
    [(_, alias)] = rule_b.get("annotations")
    assert alias.kind == "alias" and alias.resolved() is annotations and annotations.shared


@pytest.mark.parametrize("reader", [read_tree, signatures])
def test_text_that_is_not_yaml_is_a_yaml_error_at_its_place(reader):
    with pytest.raises(YamlError) as caught:
        reader("a: [1, 2\nb: 3\n", "r.yaml")
    assert str(caught.value.problem).startswith("r.yaml:2:2: YAML syntax error: ")


def test_an_alias_bomb_costs_no_more_than_its_text_and_too_many_events_are_refused(monkeypatch):
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 10) + "]\n" for n in range(8))
    [root] = read_tree(text)
    assert len(root.pairs) == 9 and root.pairs[-1][1].items[0].kind == "alias"
    monkeypatch.setattr(tree, "MAX_EVENTS", 50)
    with pytest.raises(YamlError, match="more than 50 YAML events"):
        read_tree(text, "r.yaml")
