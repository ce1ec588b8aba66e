"""Anchors, aliases and ``<<`` merge keys for the value builder, with the limits that keep them bounded.

An anchor is known from its definition to the end of its document; a later definition of the same
name replaces it (YAML 1.2, as the rulers read it). An alias is refused when it is undefined, when it
stands inside the node its anchor names (a recursive structure, which no later walk could finish),
when the values aliases add to the file, each use expanded, pass ``MAX_ALIAS_VALUES`` (an alias bomb:
sharing costs the reader nothing, but every reader after it would pay for the expansion), or when
its expansion would nest deeper than ``MAX_DEPTH``.

Typed documents keep, for every anchor, the position tables of what it names, relative to it; a use
copies the value and places those tables at the alias's path, so the work is proportional to what
the alias adds, which the limit bounds.
"""

from __future__ import annotations

from runbookgen.problems import Position, Problem
from runbookgen.yamlread.events import YamlError, refused
from runbookgen.yamlread.limits import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_VALUES

_MISSING = object()


def too_deep(file: str, where: Position) -> YamlError:
    return refused(file, where.line, where.col, f"document is nested more than {MAX_DEPTH} levels deep")


def too_many(file: str, line: int, col: int) -> YamlError:
    return refused(file, line, col, f"the file holds more than {MAX_VALUES:,} keys and values; split it into "
                                    "several files")


class Anchors:
    """The anchors of the document being read, and the values aliases have added to the file so far."""

    def __init__(self, file: str, *, typed: bool):
        self.file, self.typed = file, typed
        self.named: dict = {}
        self.open_names: set = set()  # anchors of the containers being read
        self.expanded = 0
        self.sizes: dict = {}  # (rule files) id(container) -> (values, height) with aliases expanded

    def reset(self) -> None:
        self.named, self.open_names = {}, set()

    def define(self, name: str, value, positions=None, key_positions=None, height: int = 0, text=None) -> None:
        """Typed: the value, its position tables relative to it, its height, and its text when a scalar."""
        self.named[name] = (value, (positions, key_positions), height, text) if self.typed else value

    def open(self, name: str) -> None:
        self.open_names.add(name)

    def close(self, name: str, value, inner) -> None:
        self.open_names.discard(name)
        if self.typed:
            self.named[name] = (value, inner, max(map(len, inner[0])), None)

    def use(self, name: str, where: Position, depth: int):
        """What the alias ``*name`` at ``where`` stands for, at nesting ``depth``; YamlError when refused."""
        if name in self.open_names:
            raise refused(self.file, where.line, where.col, f"alias *{name} is inside the node its anchor &{name} "
                                                            "names (a recursive structure, which cannot be read)")
        entry = self.named.get(name, _MISSING)
        if entry is _MISSING:
            raise refused(self.file, where.line, where.col, f"found undefined alias {name!r}")
        if self.typed:
            values, height = len(entry[1][0]), entry[2]
        elif entry.__class__ is dict or isinstance(entry, (dict, list)):
            values, height = _expanded(entry, self.sizes)
        else:
            values, height = 1, 0
        self.expanded += values
        if self.expanded > MAX_ALIAS_VALUES:
            raise refused(self.file, where.line, where.col,
                          f"aliases expand this file to more than {MAX_ALIAS_VALUES:,} values (an alias bomb?)")
        if depth + height > MAX_DEPTH + 1:  # its deepest container would be nested deeper than MAX_DEPTH
            raise too_deep(self.file, where)
        return entry


def _expanded(node, sizes: dict) -> tuple[int, int]:
    """(values, height) of a shared container with every alias in it expanded; the graph has no cycle.

    Iterative, and remembered per container, so it costs one visit of each container however deep or shared.
    """
    todo = [node]
    while todo:
        current = todo[-1]
        if id(current) in sizes:
            todo.pop()
            continue
        values = current.values() if isinstance(current, dict) else current
        children = [v for v in values if isinstance(v, (dict, list))]
        pending = [c for c in children if id(c) not in sizes]
        if pending:
            todo += pending
            continue
        todo.pop()
        found = [sizes[id(c)] for c in children]
        sizes[id(current)] = (1 + len(current) - len(children) + sum(f[0] for f in found),
                              1 + max((f[1] for f in found), default=0))
    return sizes[id(node)]


def copy(value):
    """A copy of a typed value that shares no container with it (an alias's use, in typed documents)."""
    if value.__class__ is dict:
        return {key: copy(item) for key, item in value.items()}
    if value.__class__ is list:
        return [copy(item) for item in value]
    return value


def place(at: tuple, inner: tuple, positions: dict, key_positions: dict, own: Position | None) -> None:
    """Put position tables relative to a value into the document's tables at the value's path ``at``."""
    for rel, pos in inner[0].items():
        positions[at + rel] = pos
    for rel, pos in inner[1].items():
        key_positions[at + rel] = pos
    if own is not None:  # an alias: its own place is where it is written
        positions[at] = own


def merge_sources(value, inner: tuple, problems: list, where: Position | None = None) -> list:
    """The mappings a ``<<`` value names, each with its position tables: one, or each of a list's items."""
    if value.__class__ is dict:
        return [(value, inner)]
    if value.__class__ is not list:
        problems.append(Problem(where or inner[0][()], "'<<' merges only mappings"))
        return []
    split: dict = {}
    for table, index in zip(inner, (0, 1)):
        for rel, pos in table.items():
            if rel:
                split.setdefault(rel[0], ({}, {}))[index][rel[1:]] = pos
    sources = []
    for number, item in enumerate(value):
        if item.__class__ is dict:
            sources.append((item, split.get(number, ({}, {}))))
        else:
            problems.append(Problem(inner[0].get((number,), where or inner[0][()]), "'<<' merges only mappings"))
    return sources


def merge_into(mapping: dict, sources: list, base: tuple, positions: dict, key_positions: dict) -> None:
    """Add the keys of each ``<<`` source that ``mapping`` lacks, with their positions; its own keys win,
    then the sources in order."""
    for source, (source_positions, source_keys) in sources:
        taken = {key for key in source if key not in mapping}
        if not taken:
            continue
        for key in source:
            if key in taken:
                mapping[key] = source[key]
        for table, target in ((source_positions, positions), (source_keys, key_positions)):
            for rel, pos in table.items():
                if rel and rel[0] in taken:
                    target[base + rel] = pos
