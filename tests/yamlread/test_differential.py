"""The value builder reads what PyYAML's SafeLoader reads, on every YAML file here and on generated texts.

For each text: through ``yamlread.values`` typed (the inventory's way) and as strings (the rule files'
way), and through SafeLoader set to the same conventions (``reference``). Where the reader finds
nothing wrong, the data must be equal, document by document. Where it refuses a text, SafeLoader
must refuse it too, except for what the reader refuses on purpose and SafeLoader reads (an alias bomb,
a recursive alias, nesting past the limit). Where it reports a problem and keeps going (a duplicate
key, an unsupported tag, a key that is not a scalar) the data differ on purpose and are not compared.
SafeLoader refuses an anchor defined twice, which YAML 1.2 and the rulers allow: not compared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from runbookgen.problems import InputError
from runbookgen.yamlread import events as yaml_events
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.files import read_text
from runbookgen.yamlread.build import read_documents

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("RUNBOOKGEN_CORPUS", ROOT.parent / "shared" / "corpus"))
OUR_REFUSALS = ("aliases expand", "is inside the node its anchor", "levels deep")


def plain(value):
    """PosMap/PosList as dict/list, to compare with SafeLoader's values."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def assert_reads_as_safeloader(text: str, *, typed: bool) -> str:
    """Compare one text; returns what happened ("same", "problems", "refused", "skipped") for the caller."""
    load = reference.typed if typed else reference.strings
    try:
        ours = read_documents(text, "in.yaml", typed=typed)
    except YamlError as err:
        if err.reason.startswith(OUR_REFUSALS) or "anchor" in err.reason and "alias" in err.reason:
            return "refused"
        with pytest.raises((yaml.YAMLError, ValueError, LookupError)):  # a document before the error may fail first
            load(text)
        return "refused"
    try:
        theirs = load(text)
    except yaml.YAMLError as err:
        assert "duplicate anchor" in str(err) or any(d.problems for d in ours), (text[:2000], err)
        return "skipped"
    except (RecursionError, ValueError, LookupError):  # a recursive alias; `!!int ""`, which the reader keeps as text
        return "skipped"
    if any(d.problems for d in ours):
        return "problems"
    assert [plain(d.data) for d in ours] == theirs, text[:2000]
    return "same"


def yaml_files() -> list[Path]:
    found = [ROOT / "runbooks.yaml", ROOT / "mkdocs.yml"]
    for root in (ROOT / "tests", ROOT / "rules", ROOT / "runbookgen", CORPUS):
        found += sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [p for p in found if p.is_file()]


def test_every_yaml_file_of_the_repository_and_corpus_reads_as_safeloader_reads_it():
    files = yaml_files()
    assert len([f for f in files if CORPUS in f.parents]) > 150, "the corpus is missing"
    outcomes: dict[str, int] = {}
    for path in files:
        try:
            text = read_text(str(path))
        except InputError:
            continue
        for typed in (True, False):
            outcome = assert_reads_as_safeloader(text, typed=typed)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes["same"] > 2 * 150, outcomes  # most files are compared, not skipped


EDGE_CASES = [
    "a: 1\nb: 1.5\nc: true\nd: yes\ne: ~\nf: null\ng: ''\nh: 0x1F\ni: 1_000\nj: .inf\nl: 2024-01-02\nm: 12:30:00\n"
    "n: '1'\no: \"true\"\np: -0\nq: 0o17\nr: 1e3\ns:\nt: +12\nu: 0b101\nv: 1:30\nw: -.inf\nx: 190:20:30.15\n",
    "1: a\non: b\nnull: c\n~: d\ntrue: e\n'quoted': f\n? explicit\n: g\n\"<<\": h\n",
    "a: !!str 1\nb: !!int '7'\nc: ! 12\nd: !!float 1\ne: !!bool 'yes'\nf: !!null ''\ng: !!map {a: 1}\nh: !!seq [1]\n",
    "a: [1, {b: [2, 3]}, [], {}]\nc:\n  d: |\n    text\n  e: >-\n    folded\n  f:\n  - g\n  - h: i\n",
    "---\na: 1\n---\n---\nb: [1]\n...\n--- x\n",
    "",
    "# nothing\n",
    "a: &x {b: 1}\nc: *x\nd: [*x, *x]\n",
    "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n",
    "item:\n  <<: {x: 1}\n  y: 2\n",
    "a: &a {x: 1}\nb: &b {y: 1, x: 2}\nc: {<<: [*a, *b], z: 3}\n",
    "a: &s text\nb: *s\n*s : key from an alias\n",
    "a: &x [1, &y {b: *z}]\n",
    "l: &l [a, b]\nm: [*l, *l]\nn: {k: *l}\n",
    "a: 'multi\n  line'\nb: \"esc\\t\\u00e9\"\nc: plain\n  folded\n",
    "[" * 60 + "1" + "]" * 60,
    "a: b\r\nc:\r\n  - d\r\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "strings"])
def test_edge_cases_read_as_safeloader_reads_them(text, typed):
    assert_reads_as_safeloader(text, typed=typed)


SAFE_TEXT = st.text(alphabet="abcXY01:-_ .", min_size=0, max_size=6)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | SAFE_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(SAFE_TEXT, children, max_size=4),
    max_leaves=20)
FRAGMENTS = st.sampled_from(["a:", "b: 1", "- x", "- ", "  ", "    ", "c: [1, 2]", "d: {e: f}", "a: 2", "!Tag",
                             "!!int", "!!str", "&x", "&y", "*x", "*y", "<<: *x", "<<:", "? k", ": v", "'q'", "\"s\"",
                             "|", ">", "---", "...", "#c", "[", "]", "{", "}", ",", "null", "~", "yes", "0x1", "1.5",
                             "\t", "k: v: w", "2024-01-01", "on", ".inf"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans(), st.integers(0, 50))
def test_dumped_values_read_as_safeloader_reads_them(value, flow, repeat):
    text = yaml.safe_dump(value, default_flow_style=flow, sort_keys=False)
    lines = text.splitlines(keepends=True)
    if lines and repeat < len(lines):  # a repeated line: often a duplicate key, sometimes broken YAML
        lines.insert(repeat, lines[repeat])
    for typed in (True, False):
        assert_reads_as_safeloader("".join(lines), typed=typed)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(FRAGMENTS, min_size=1, max_size=4).map(" ".join), max_size=10))
def test_fragments_read_as_safeloader_reads_them(lines):
    for typed in (True, False):
        assert_reads_as_safeloader("\n".join(lines) + "\n", typed=typed)


@pytest.mark.parametrize("text", EDGE_CASES + ["a: [1, 2\n", "a: \x07\n", "a:\n\tb: 1\n", "a: *nope\n"])
def test_the_pure_python_parser_gives_what_libyaml_gives(monkeypatch, text):
    """Where PyYAML was built without libyaml its own parser runs: the same values, positions and errors."""

    def outcome(typed: bool):
        try:
            return [(plain(d.data), d.positions, d.key_positions, d.problems)
                    for d in read_documents(text, "in.yaml", typed=typed)]
        except YamlError as err:
            return str(err.problem.pos)

    fast = [outcome(typed) for typed in (True, False)]
    monkeypatch.setattr(yaml_events, "Parser", yaml.SafeLoader)
    slow = [outcome(typed) for typed in (True, False)]
    assert slow == fast
