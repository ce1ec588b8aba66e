"""Where ``import`` puts new entries in an inventory file, and how it indents them.

Stubs go after the last entry of ``alerts:`` (after the trailing blank lines of a
kept ``|+`` block, which belong to its value), in the list's own indentation and
spacing; into an empty ``alerts: []``; or in a new ``alerts:`` list at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from runbookgen.problems import InputError, Position, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Layout:
    offset: int  # where in the file the new text goes
    dash: int  # column of the list's "-"
    key: int  # column of an entry's keys
    gap: bool  # a blank line between entries
    lead: str  # text written before the first stub: line breaks, and a new alerts: key
    remove: tuple[int, int] = (0, 0)  # a range to delete first (the [] of alerts: [])
    tail: str = ""  # text written after the last stub


def layout_of(text: str, shown: str) -> Layout:
    """Where the stubs go and how they are indented, from the file's ``alerts:`` list (if any)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:  # load_inventory read it; only a broken file gets here
        raise InputError([Problem(Position(shown, 1, 1), f"cannot read the inventory: {err}")]) from None
    pairs = {k.value: (k, v) for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    if "alerts" not in pairs:
        dash, key = _list_style(root)
        lead = ("" if not text or text.endswith("\n") else "\n") + "\nalerts:\n"
        return Layout(len(text), dash, key, True, lead)
    key_node, alerts = pairs["alerts"]
    if not isinstance(alerts, yaml.SequenceNode):
        raise InputError([Problem(Position(shown, alerts.start_mark.line + 1, alerts.start_mark.column + 1),
                                  "alerts must be a list to import into")])
    if alerts.flow_style or not alerts.value:
        if alerts.value:
            raise InputError([Problem(Position(shown, alerts.start_mark.line + 1, alerts.start_mark.column + 1),
                                      "alerts is written as a flow list ([...]); write it as a block list "
                                      "(one '- name: ...' entry per line) to import into it")])
        base = key_node.start_mark.column
        remove = (alerts.start_mark.index, alerts.end_mark.index)
        line_end = _line_end(text, alerts.end_mark.index)
        return Layout(line_end, base + 2, base + 4, True, "\n", remove)
    dash = alerts.start_mark.column
    first = alerts.value[0]
    key = first.start_mark.column if isinstance(first, yaml.MappingNode) else dash + 2
    gap = _has_gaps(text, alerts)
    kept = _kept_block_end(text, alerts.value[-1])
    if kept is not None:  # its trailing blank lines are its value: write after them, and add none before
        return Layout(kept, dash, max(key, dash + 2), gap, "", tail="\n")
    return Layout(_line_end(text, _content_end(text, alerts.value[-1])), dash, max(key, dash + 2), gap,
                   "\n\n" if gap else "\n")


def _list_style(root) -> tuple[int, int]:
    """The dash and key columns of the first block list of mappings in the file, else 2 and 4."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value in root.value:
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value \
                    and isinstance(value.value[0], yaml.MappingNode):
                offset = value.start_mark.column - key_node.start_mark.column
                return offset, offset + (value.value[0].start_mark.column - value.start_mark.column)
    return 2, 4


def _last_leaf(node):
    while True:
        if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            node = node.value[-1]
        else:
            return node


def _kept_block_end(text: str, node) -> int | None:
    """Where a list entry ends when its last value is a kept block scalar (|+ or >+), else None."""
    leaf = _last_leaf(node)
    if not isinstance(leaf, yaml.ScalarNode) or leaf.style not in ("|", ">"):
        return None
    start = leaf.start_mark.index
    header = text[start:text.find("\n", start) if "\n" in text[start:] else len(text)]
    return leaf.end_mark.index if "+" in header else None


def _content_end(text: str, node) -> int:
    """Where the text of ``node`` ends, trailing blank lines of a block scalar left out."""
    end = _last_leaf(node).end_mark.index
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _line_end(text: str, index: int) -> int:
    found = text.find("\n", index)
    if found == -1:
        return len(text)
    return found - 1 if found > 0 and text[found - 1] == "\r" else found


def _has_gaps(text: str, alerts) -> bool:
    """True when the list's entries are separated by blank lines (or when it has one entry)."""
    if len(alerts.value) < 2:
        return True
    lines = text.split("\n")
    line = alerts.value[-1].start_mark.line
    return line > 0 and not lines[line - 1].strip()
