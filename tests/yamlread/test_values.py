"""The value builder: positions, anchors, aliases and merge keys, limits, and the two ways of reading."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from runbookgen.problems import Position
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.limits import MAX_ALIAS_VALUES, MAX_DEPTH
from runbookgen.yamlread.build import read_documents
from runbookgen.yamlread.values import PosList, PosMap


def typed_positions(text: str) -> list[tuple[dict, dict]]:
    return [({p: (pos.line, pos.col) for p, pos in d.positions.items()},
             {p: (pos.line, pos.col) for p, pos in d.key_positions.items()})
            for d in read_documents(text, "in.yaml", typed=True)]


def string_positions(value, path=()) -> tuple[dict, dict]:
    """The positions a PosMap/PosList tree carries, as path tables."""
    positions, keys = {path: value.pos}, {}
    pairs = (value.items() if isinstance(value, PosMap) else enumerate(value))
    for key, item in pairs:
        where = value.value_pos[key] if isinstance(value, PosMap) else value.item_pos[key]
        if isinstance(value, PosMap):
            keys[path + (key,)] = value.key_pos[key]
        if isinstance(item, (PosMap, PosList)):
            inner, inner_keys = string_positions(item, path + (key,))
            positions.update(inner)
            keys.update(inner_keys)
        positions[path + (key,)] = where
    return positions, keys


SAFE_TEXT = st.text(alphabet="abcXY01:-_ .é", min_size=1, max_size=6)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | SAFE_TEXT | st.just("multi\nline\n"),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(SAFE_TEXT, children, max_size=4),
    max_leaves=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_every_key_and_value_is_where_the_composed_node_graph_puts_it(value, flow, newline):
    text = yaml.safe_dump(value, default_flow_style=flow, sort_keys=False, allow_unicode=True)
    text = text.replace("\n", newline)
    expected = reference.node_positions(text)
    assert typed_positions(text) == expected
    documents = read_documents(text, "in.yaml")
    for document, (positions, keys) in zip(documents, expected):
        if isinstance(document.data, (PosMap, PosList)):
            assert string_positions(document.data) == (positions, keys)


def test_an_alias_is_where_it_is_written_and_what_it_names_where_that_was_written():
    text = "a: &x {b: 1}\nc: *x\nd: [*x]\n"
    [document] = read_documents(text, "in.yaml", typed=True)
    assert document.positions[("c",)] == Position("in.yaml", 2, 4)
    assert document.positions[("c", "b")] == document.positions[("a", "b")] == Position("in.yaml", 1, 8 + 3)
    assert document.key_positions[("d", 0, "b")] == Position("in.yaml", 1, 8)
    assert document.data["c"] is not document.data["a"]  # typed values share nothing
    [rules] = read_documents(text, "in.yaml")
    assert rules.data["c"] is rules.data["a"] and rules.data.value_pos["c"] == (2, 4)


def test_merge_keys_own_keys_win_then_the_sources_in_order():
    text = "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n"
    [document] = read_documents(text, "in.yaml", typed=True)
    assert document.data["c"] == {"y": 3, "x": 1, "z": 2} == yaml.safe_load(text)["c"]
    assert document.positions[("c", "x")] == Position("in.yaml", 1, 11)
    assert document.positions[("c", "z")] == Position("in.yaml", 2, 17)
    assert document.key_positions[("c", "y")] == Position("in.yaml", 5, 3)
    [rules] = read_documents(text, "in.yaml")
    assert rules.data["c"] == {"y": "3", "x": "1", "z": "2"} and rules.data["c"].key_pos["z"] == (2, 14)


@pytest.mark.parametrize("typed", [True, False])
@pytest.mark.parametrize("text, where, words", [
    ("a: *nope\n", (1, 4), "found undefined alias 'nope'"),
    ("a: &x [1, *x]\n", (1, 11), "alias *x is inside the node its anchor &x names"),
    ("a: &x {b: {c: *x}}\n", (1, 15), "alias *x is inside the node its anchor &x names"),
    ("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), (1, MAX_DEPTH + 2), f"nested more than {MAX_DEPTH} levels"),
    ("a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n", (2, 34),
     f"nested more than {MAX_DEPTH} levels"),
])
def test_what_no_reader_could_finish_is_refused_at_its_place(typed, text, where, words):
    with pytest.raises(YamlError) as caught:
        read_documents(text, "in.yaml", typed=typed)
    assert (caught.value.position.line, caught.value.position.col) == where
    assert words in caught.value.problem.message and caught.value.problem.message.startswith("YAML syntax error: ")


@pytest.mark.parametrize("typed", [True, False])
def test_an_alias_bomb_stops_at_the_limit_quickly(typed):
    text = "a: &a [" + ", ".join(["x"] * 10) + "]\n"
    for level in range(1, 9):
        text += f"{chr(97 + level)}: &{chr(97 + level)} [" + ", ".join([f"*{chr(96 + level)}"] * 10) + "]\n"
    with pytest.raises(YamlError, match=f"more than {MAX_ALIAS_VALUES:,} values"):
        read_documents(text, "in.yaml", typed=typed)


@pytest.mark.parametrize("typed", [True, False])
def test_aliases_under_the_limit_are_read(typed):
    text = "a: &a [" + ", ".join(["x"] * 99) + "]\nb: [" + ", ".join(["*a"] * 999) + "]\n"
    [document] = read_documents(text, "in.yaml", typed=typed)
    assert len(document.data["b"]) == 999 and document.data["b"][998] == ["x"] * 99


def test_duplicate_keys_keep_the_first_and_are_reported_with_both_lines():
    text = "a: 1\nb: {x: 1}\na: {c: &y 2}\nd: *y\n"
    [document] = read_documents(text, "in.yaml", typed=True)
    assert document.data == {"a": 1, "b": {"x": 1}, "d": 2}
    assert [str(p) for p in document.problems] == [
        "in.yaml:3:1: duplicate key 'a' (first defined at line 1); YAML would silently keep only the last one"]
    assert ("a", "c") not in document.positions  # the dropped value left no position behind
    [rules] = read_documents(text, "in.yaml")
    assert rules.data == {"a": "1", "b": {"x": "1"}, "d": "2"} and len(rules.problems) == 1


def test_tags_are_read_as_safeloader_reads_them_and_others_reported():
    text = "a: !!int '7'\nb: !!str 1\nc: !!int ''\nd: !Ref x\ne: !!python/object:os.system {}\n!Key f: 1\n"
    [document] = read_documents(text, "in.yaml", typed=True)
    assert document.data == {"a": 7, "b": "1", "c": "", "d": "x", "e": {}, "f": 1}
    assert [(p.pos.line, p.message) for p in document.problems] == [
        (4, "unsupported YAML tag '!Ref'"), (5, "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'"),
        (6, "unsupported YAML tag '!Key'")]


@pytest.mark.parametrize("typed", [True, False])
def test_a_file_with_more_keys_and_values_than_the_limit_is_refused_at_the_first_too_many(monkeypatch, typed):
    from runbookgen.yamlread import string_values, typed_values

    # typed documents count each key and value as it is read, the root too, and stop at the first one too
    # many; rule files count them as each container ends (no cost per scalar) and stop at that container
    monkeypatch.setattr(typed_values if typed else string_values, "MAX_VALUES", 10 if typed else 9)
    read_documents("a: [1, 2]\nb: {c: 3}\n", "in.yaml", typed=typed)  # the root, 3 keys, 2 containers, 3 items
    with pytest.raises(YamlError, match="more than 2,000,000 keys and values") as caught:
        read_documents("a: [1, 2]\nb: {c: 3}\nd: 4\n", "in.yaml", typed=typed)  # "d" is the 10th, "4" the 11th
    assert (caught.value.position.line, caught.value.position.col) == ((3, 4) if typed else (1, 1))
