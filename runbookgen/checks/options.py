"""The settings under ``lint:`` that checks read, each declared once beside the code that reads it.

A check module lists what it honours in ``OPTIONS`` (yamllint's ``CONF`` and ``DEFAULT`` in one
value)::

    STALE_AFTER = Option("stale_after", "duration", "180d",
                         "A runbook not reviewed for longer than this is stale")
    OPTIONS = (STALE_AFTER,)

An option used by several checks is declared once (where it is read) and named in each of their
``OPTIONS``. The ``lint`` block of ``inventory/schema.json``, the inventory reference written from
it, and the check pages are generated from these declarations: ``lint_block_with_options`` gives
the block as the declarations say it is, ``write_schema`` puts it into ``schema.json``
(``python scripts/write_schema.py``), and a test fails while the two disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# type name -> (JSON Schema of the value, how the docs name it)
TYPES = {
    "string": ({"type": "string"}, "string"),
    "duration": ({"$ref": "#/$defs/duration"}, "duration"),
    "list of strings": ({"type": "array", "items": {"type": "string"}}, "list of strings"),
}


@dataclass(frozen=True)
class Option:
    """One setting under ``lint:``: its key (dotted inside a block: ``prometheus.lookback``), its type
    (a name in ``TYPES``), its default (None or empty when unset means "not configured") and a
    sentence that says what it does (without a final full stop; the default is added to it)."""

    key: str
    type: str
    default: object
    description: str
    item_description: str = ""  # for a list: what one item is

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"option {self.key!r}: unknown type {self.type!r} (known: {', '.join(TYPES)})")

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def has_default(self) -> bool:
        return self.default not in (None, "", (), [])

    def described(self) -> str:
        """The description with its default, as the schema and the docs show it."""
        return f"{self.description} (default {self.default})." if self.has_default else f"{self.description}."

    def schema(self) -> dict:
        """This option's JSON Schema (draft 2020-12), with its default for editors."""
        value = json.loads(json.dumps(TYPES[self.type][0]))  # a fresh copy
        if self.item_description:
            value["items"]["description"] = self.item_description
        if self.has_default:
            value["default"] = self.default
        value["description"] = self.described()
        return value

    def type_words(self) -> str:
        return TYPES[self.type][1]


def declared_options(checks) -> dict[str, Option]:
    """key -> Option over ``checks`` (modules with OPTIONS), in first-declared order.

    ValueError when two different declarations claim one key: one setting, one meaning."""
    found: dict[str, Option] = {}
    for check in checks:
        for option in getattr(check, "OPTIONS", ()):
            if found.setdefault(option.key, option) != option:
                raise ValueError(f"option {option.key!r} is declared twice, differently ({check.NAME})")
    return found


def lint_block_with_options(lint_block: dict, options: dict[str, Option]) -> dict:
    """A copy of the schema's ``lint`` block with every declared option's schema in its place.

    Keys keep their order; an option not yet in the block is added at the end of its parent."""
    block = json.loads(json.dumps(lint_block))
    for option in options.values():
        node = block
        for part in option.path[:-1]:
            node = node["properties"][part]
        node.setdefault("properties", {})[option.path[-1]] = option.schema()
    return block


def schema_with_options(schema: dict, options: dict[str, Option]) -> dict:
    result = json.loads(json.dumps(schema))
    result["properties"]["lint"] = lint_block_with_options(schema["properties"]["lint"], options)
    return result


def schema_text(schema: dict) -> str:
    """The text ``schema.json`` is written in."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str) -> bool:
    """Bring ``schema.json`` at ``path`` in line with the declarations; True when it changed."""
    from runbookgen.checks.registry import CHECKS

    with open(path, encoding="utf-8") as handle:
        before = handle.read()
    after = schema_text(schema_with_options(json.loads(before), declared_options(CHECKS)))
    if after != before:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(after)
    return after != before

