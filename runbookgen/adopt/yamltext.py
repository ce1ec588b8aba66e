"""Write YAML values as text that reads back exactly as the value it was made from.

Import appends hand-readable entries to a file that people edit, so values are
written the way a person would: plain when that is unambiguous, single-quoted
when YAML would misread plain text (``{{ $labels.x }}``, ``yes``, ``a: b``), a
literal block (``|``) for several lines, and double-quoted only for what nothing
else can hold.
"""

from __future__ import annotations

import json
import re

from runbookgen.yamlread.build import reads_as

# what YAML may hold raw inside double quotes; NEL and the Unicode line separators would read as line breaks
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                                 "\U00010000-\U0010ffff]")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")


def reads_back(text: str, value: str) -> bool:
    """Whether ``key: <text>`` is read by YAML as exactly ``value``."""
    return reads_as(f"k: {text}\n", {"k": value})


def scalar(value: str, indent: int) -> str:
    """``value`` as the text after ``key: ``; a block's lines are indented by ``indent`` spaces."""
    value = str(value)
    if "\n" in value.rstrip("\n") and not _UNPRINTABLE.search(value) and "\r" not in value:
        block = _literal(value, indent)
        if block:
            return block
    if "\n" not in value and "\t" not in value and value == value.strip() and reads_back(value, value):
        return value
    if not _UNPRINTABLE.search(value) and "\n" not in value and "\r" not in value:
        quoted = "'" + value.replace("'", "''") + "'"
        if reads_back(quoted, value):
            return quoted
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    """JSON's quoting (a subset of YAML's), with what YAML may not hold raw escaped as well."""
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _literal(value: str, indent: int) -> str:
    """A literal block scalar, or "" when one cannot hold ``value`` as it is."""
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    if trailing > 1:
        return ""
    first = next((line for line in body.split("\n") if line.strip()), "")
    if first[:1] in (" ", "\t"):  # would need an indentation indicator; quoting is clearer
        return ""
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    text = ("|" if trailing else "|-") + "\n" + "\n".join(lines)
    return text if _block_reads_back(text, value, indent) else ""


def _block_reads_back(text: str, value: str, indent: int) -> bool:
    head = " " * max(indent - 2, 0)
    return reads_as(f"{head}k: {text}\n", {"k": value})


def block_lines(data: dict, column: int) -> list[str]:
    """``data`` as block-style YAML lines whose keys start at ``column``: text, whole numbers, mappings and
    lists of mappings, each value written as ``scalar`` would."""
    pad = " " * column
    lines: list[str] = []
    for key, value in data.items():
        name = scalar(str(key), column + 2)
        if isinstance(value, dict):
            lines.append(f"{pad}{name}:")
            lines += block_lines(value, column + 2)
        elif isinstance(value, list):
            lines.append(f"{pad}{name}:")
            for item in value:
                inner = block_lines(item, column + 4)
                lines.append(f"{pad}  - {inner[0][column + 4:]}")
                lines += inner[1:]
        elif isinstance(value, int) and not isinstance(value, bool):
            lines.append(f"{pad}{name}: {value}")
        else:
            lines.append(f"{pad}{name}: {scalar(str(value), column + 2)}")
    return lines
