"""Apply splices to a text, and check that the result reads as intended, event by event.

The original text's events (``yamlread.tree.signatures``) with each splice's expected
events put in place of the ones it replaces must equal the new text's events:
same keys, values, styles, anchors, tags and document markers everywhere else. A
new value only has to read as its string (any quoting, or ``!!str``).
"""

from __future__ import annotations

from runbookgen.adopt.scalar_style import plain_reads_as_string
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.tree import signatures

VALUE = "value"  # an expected scalar: ("value", text), any style that reads as that string
STR_TAG = "tag:yaml.org,2002:str"
OPEN, CLOSE = ("open",), ("MappingEndEvent",)  # an expected new mapping


def apply_splices(text: str, splices: list[Splice]) -> str:
    parts, last = [], len(text)
    for splice in sorted(splices, key=lambda s: (s.start, s.end), reverse=True):
        parts.append(text[splice.end:last])
        parts.append(splice.text)
        last = splice.start
    parts.append(text[:last])
    return "".join(reversed(parts))


def verified(original: list[tuple], text: str, splices: list[Splice]) -> bool:
    """Whether ``text`` reads as ``original`` (its signatures) with exactly the splices' changes."""
    try:
        seen = signatures(text)
    except YamlError:
        return False
    expected: list = []
    at = 0
    for splice in sorted(splices, key=lambda s: s.event):
        expected += original[at:splice.event]
        expected += splice.added
        at = splice.event + splice.removed
    expected += original[at:]
    if len(seen) != len(expected):
        return False
    return all(_matches(want, got) for want, got in zip(expected, seen))


def _matches(want: tuple, got: tuple) -> bool:
    if want[0] == VALUE:  # a scalar that reads as this string: quoted, tagged !!str, or plain that resolves so
        if got[0] != "scalar" or got[4] != want[1] or got[2] not in (None, STR_TAG):
            return False
        return bool(got[5]) or got[2] == STR_TAG or (got[3][0] and plain_reads_as_string(want[1]))
    if want == OPEN:
        return got[0] == "MappingStartEvent" and got[1] is None and got[2] is None
    return want == got
