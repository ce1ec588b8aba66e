"""Write one key or value in a given YAML quoting, so that it reads back as exactly that text.

``annotate`` writes URLs beside values someone else wrote, and matches them: plain
where the neighbours are plain (and plain text reads back unchanged), otherwise
the neighbours' single or double quotes. Double quotes use JSON's escapes, which
YAML shares, so a JSON rule file stays JSON.
"""

from __future__ import annotations

import functools

from runbookgen.adopt.yamltext import _double_quoted
from runbookgen.yamlread.build import reads_as

FLOW_INDICATORS = frozenset(",[]{}")


@functools.lru_cache(maxsize=4096)
def plain_reads_as_string(value: str) -> bool:
    """Whether ``value`` written plain (in a block mapping) reads back as this very string."""
    if not value or value != value.strip() or "\n" in value or "\t" in value:
        return False
    return reads_as(f"k: {value}\n", {"k": value})


def value_text(value: str, style: str, *, flow: bool) -> str:
    """``value`` in ``style`` ('' plain, "'" or '"'), falling back to quotes when plain would misread."""
    if style == "" and plain_reads_as_string(value) and not (flow and FLOW_INDICATORS & set(value)):
        return value
    if style != '"' and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


def key_text(key: str, quote: str) -> str:
    if quote == '"':
        return _double_quoted(key)
    if quote == "'":
        return "'" + key.replace("'", "''") + "'"
    return key
