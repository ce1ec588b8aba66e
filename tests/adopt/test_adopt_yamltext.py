"""Values import writes into the inventory read back exactly, and look the way a person writes them."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from runbookgen.adopt.yamltext import scalar


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_every_text_reads_back_as_itself(text):
    assert yaml.safe_load(f"key: {scalar(text, 2)}\n") == {"key": text}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab {}:#-|'\"\t", max_size=12), min_size=2, max_size=5))
def test_lines_read_back_inside_an_indented_entry(lines):
    text = "\n".join(lines)
    document = f"alerts:\n  - name: x\n    expr: {scalar(text, 6)}\n"
    assert yaml.safe_load(document)["alerts"][0]["expr"] == text


def test_the_quoting_a_person_would_choose():
    assert scalar("Disk almost full.", 4) == "Disk almost full."
    assert scalar("{{ $labels.job }} is slow", 4) == "'{{ $labels.job }} is slow'"
    assert scalar("it's: broken", 4) == "'it''s: broken'"
    assert scalar("yes", 4) == "'yes'"
    assert scalar("sum(x)\n  > 1", 4) == "|-\n    sum(x)\n      > 1"
    assert scalar("two\nlines\n", 4) == "|\n    two\n    lines"
    assert scalar("tab\there", 4) == "'tab\there'"
    assert scalar("bell\x07", 4) == '"bell\\u0007"'
