"""Plain scalars are typed as SafeLoader types them, whatever character they start with.

The typed reader takes a plain scalar whose first character has no implicit rule in SafeLoader's
resolver as a string without asking the resolver; these cases check that shortcut against
SafeLoader, as keys and as values, for every printable ASCII character and a few others, each
alone and before the texts that resolve to null, bool, int, float, merge and value tags.
"""

from __future__ import annotations

import string

import pytest
import yaml

from runbookgen.yamlread.build import read_documents

RESOLVED = ["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "yes", "Yes", "no", "NO", "on", "On",
            "off", "OFF", "y", "n", "0", "17", "-3", "+4", "0x1F", "0o17", "017", "0b101", "1_000", "190:20:30",
            "1.5", "-.inf", "+.INF", ".nan", ".5", "1e3", "6.8523015e+5", "2001-12-14", "=", "<<"]
FIRST = sorted(set(string.ascii_letters + string.digits + "._+-~=<!&*%^$/()\\'\"`|>?:,@#[]{}") | {"é", "日", "\u00a0"})


def _plain(text: str) -> bool:
    """Whether ``text`` can stand as a plain scalar in a block mapping (otherwise it is not this test's case)."""
    try:
        node = yaml.compose(f"k: {text}\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    return node.value[0][1].style is None and node.value[0][1].value == text


CASES = sorted({t for t in [*RESOLVED, *(c + r for c in FIRST for r in ("", "x", "1", "rue", "ull", "es", ".5"))]
                if t and _plain(t)})


@pytest.mark.parametrize("text", CASES)
def test_a_plain_value_reads_as_safeloader_reads_it(text):
    source = f"value: {text}\nlist: [{text}]\n"  # in a flow sequence too, where it reads as one plain item
    try:
        expected = yaml.load(source, Loader=yaml.SafeLoader)
        assert expected["list"] == [expected["value"]]
    except yaml.constructor.ConstructorError:  # `=` and `<<` as values: SafeLoader refuses, the reader says why
        (doc,) = read_documents(source, "in.yaml", typed=True)
        assert doc.problems and "unsupported YAML tag" in doc.problems[0].message
        return
    except (yaml.YAMLError, AssertionError):
        source = f"value: {text}\n"
        expected = yaml.load(source, Loader=yaml.SafeLoader)
    if any(isinstance(v, bytes) or type(v).__module__ == "datetime" for v in expected.values()):
        pytest.skip("timestamps stay text in the inventory (the schema checks dates)")
    (doc,) = read_documents(source, "in.yaml", typed=True)
    assert doc.data == expected and [type(v) for v in doc.data.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("text", [t for t in CASES if t != "<<"])
def test_a_plain_key_stays_its_text(text):
    (doc,) = read_documents(f"{text}: 1\n", "in.yaml", typed=True)
    assert list(doc.data) == [text] or doc.problems
