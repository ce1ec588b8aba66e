"""Where ``import`` puts new entries in an inventory file, and how it indents them.

Stubs go after the last entry of ``alerts:`` (after the trailing blank lines of a
kept ``|+`` block, which belong to its value), in the list's own indentation and
spacing; into an empty ``alerts: []``; or in a new ``alerts:`` list at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from runbookgen.problems import InputError, Position, Problem
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.tree import read_tree


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
        roots = read_tree(text, shown)
    except YamlError as err:  # load_inventory read it; only a broken file gets here
        raise InputError([Problem(err.position, f"cannot read the inventory: {err.problem.message}")]) from None
    root = roots[0] if roots else None
    pairs = {k.value: (k, v) for k, v in root.pairs if k.kind == "scalar"} if _is(root, "map") else {}
    if "alerts" not in pairs:
        dash, key = _list_style(root)
        lead = ("" if not text or text.endswith("\n") else "\n") + "\nalerts:\n"
        return Layout(len(text), dash, key, True, lead)
    key_node, alerts = pairs["alerts"]
    if not _is(alerts, "seq"):
        raise InputError([Problem(Position(shown, alerts.line, alerts.col), "alerts must be a list to import into")])
    if alerts.flow or not alerts.items:
        if alerts.items:
            raise InputError([Problem(Position(shown, alerts.line, alerts.col),
                                      "alerts is written as a flow list ([...]); write it as a block list "
                                      "(one '- name: ...' entry per line) to import into it")])
        base = key_node.col - 1
        remove = (alerts.start, alerts.end)
        line_end = _line_end(text, alerts.end)
        return Layout(line_end, base + 2, base + 4, True, "\n", remove)
    dash = alerts.col - 1
    first = alerts.items[0]
    key = first.col - 1 if _is(first, "map") else dash + 2
    gap = _has_gaps(text, alerts)
    kept = _kept_block_end(text, alerts.items[-1])
    if kept is not None:  # its trailing blank lines are its value: write after them, and add none before
        return Layout(kept, dash, max(key, dash + 2), gap, "", tail="\n")
    return Layout(_line_end(text, _content_end(text, alerts.items[-1])), dash, max(key, dash + 2), gap,
                   "\n\n" if gap else "\n")


def _is(node, kind: str) -> bool:
    """Whether ``node`` is written as a ``kind`` ("map", "seq", "scalar"); an alias is none of them."""
    return node is not None and node.kind == kind


def _list_style(root) -> tuple[int, int]:
    """The dash and key columns of the first block list of mappings in the file, else 2 and 4."""
    if _is(root, "map"):
        for key_node, value in root.pairs:
            if value.kind == "seq" and not value.flow and value.items and value.items[0].kind == "map":
                offset = value.col - key_node.col
                return offset, offset + (value.items[0].col - value.col)
    return 2, 4


def _last_leaf(node):
    while True:
        if node.kind == "map" and node.pairs and not node.flow:
            node = node.pairs[-1][1]
        elif node.kind == "seq" and node.items and not node.flow:
            node = node.items[-1]
        else:
            return node


def _kept_block_end(text: str, node) -> int | None:
    """Where a list entry ends when its last value is a kept block scalar (|+ or >+), else None."""
    leaf = _last_leaf(node)
    if leaf.kind != "scalar" or leaf.style not in ("|", ">"):
        return None
    start = leaf.start
    header = text[start:text.find("\n", start) if "\n" in text[start:] else len(text)]
    return leaf.end if "+" in header else None


def _content_end(text: str, node) -> int:
    """Where the text of ``node`` ends, trailing blank lines of a block scalar left out."""
    end = _last_leaf(node).end
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
    if len(alerts.items) < 2:
        return True
    lines = text.split("\n")
    line = alerts.items[-1].line - 1  # from 0
    return line > 0 and not lines[line - 1].strip()
