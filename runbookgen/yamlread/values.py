"""The one value builder: plain values with the position of every key and value, from the event stream.

``read_documents(text, file, typed=...)`` takes the parser's events and builds each document at once,
without a node graph walked a second time. The two ways differ only in what a scalar is and where
positions are kept:

- ``typed=True`` (the inventory): scalars are typed as PyYAML's SafeLoader types them (``scalars``),
  containers are plain ``dict`` and ``list``, and ``Document.positions`` / ``key_positions`` map every
  path (a tuple of keys and list indexes) to the ``Position`` of its value / key. Unsupported tags
  are problems. An alias is a copy of what its anchor names, so no two paths share an object.
- ``typed=False`` (rule files, as Prometheus reads them): scalars are strings (a plain empty value,
  ``~`` or ``null`` is None), containers are ``PosMap`` / ``PosList`` carrying ``(line, col)`` pairs,
  and an alias shares the anchored object. Tags are not looked at, as the rulers do not.

Both read anchors, aliases and ``<<`` merge keys (the mapping's own keys win, then the sources in
order), keep the first of two duplicate keys and report the second, and report a key that is not
a scalar. Fatal, as a ``YamlError`` at the alias or container: an undefined alias, an alias inside
the node its anchor names (a recursive structure), aliases that add more than ``MAX_ALIAS_VALUES``
values to the file (an alias bomb), nesting deeper than ``MAX_DEPTH``. Lines and columns count from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from runbookgen.gcpause import cycle_collector_paused
from runbookgen.problems import Position, Problem
from runbookgen.yamlread.events import parser, reading_error
from runbookgen.yamlread.limits import MAX_DEPTH
from runbookgen.yamlread.scalars import MAP, MERGE, NULLS, SEQ, STR, PlainScalars, collection_tag_problem, tagged_value
from runbookgen.yamlread import aliases
from runbookgen.yamlread.aliases import Anchors, merge_into, merge_sources, place


class PosMap(dict):
    """A mapping that knows where it, its keys and its values were written: ``pos``, ``key_pos[key]``,
    ``value_pos[key]`` are ``(line, col)``; ``styles[key]`` is "|" or ">" for a block scalar value."""

    __slots__ = ("pos", "key_pos", "value_pos", "styles")


class PosList(list):
    """A sequence that knows where it (``pos``) and each item (``item_pos[i]``) were written."""

    __slots__ = ("pos", "item_pos")


@dataclass
class Document:
    data: object
    positions: dict = field(default_factory=dict)  # typed: path -> Position of the value
    key_positions: dict = field(default_factory=dict)  # typed: path -> Position of the key
    problems: list = field(default_factory=list)  # Problems that still left usable data


_KEY = object()  # a mapping waits for its next key
_SKIP = object()  # the value being read is dropped: it follows a duplicate key or a key that is not a scalar
_MERGE = object()  # the value being read is a '<<' merge source
_BAD_KEY = object()  # (typed) the container being read stands where a key should be


def read_documents(text: str, file: str, *, typed: bool = False) -> list[Document]:
    """Every document of ``text``; raises YamlError at the first thing that cannot be read."""
    return list(documents(text, file, typed=typed))


def documents(text: str, file: str, *, typed: bool):
    """Each document of ``text`` as soon as it is read (the cycle collector paused meanwhile)."""
    loader = parser(text, file)
    try:
        with cycle_collector_paused():
            if typed:
                yield from _typed(loader.get_event, file)
            else:
                yield from _strings(loader.get_event, file)
    except yaml.YAMLError as err:
        raise reading_error(err, text, file) from None
    finally:
        loader.dispose()


def _typed(get_event, file: str):
    new = tuple.__new__  # Position(...) without the named tuple's Python-level __new__
    plain = PlainScalars()
    plain_tag, plain_value = plain.tag, plain.value
    anchors = Anchors(file, typed=True)
    stack: list = []  # frames: [container, state, path, merges, anchor, role, pushed, path in parent]
    frame = None
    tables: list = []  # position tables set aside while an anchored or dropped container is read
    positions = key_positions = problems = root = None
    while True:
        event = get_event()
        cls = event.__class__
        if cls is ScalarEvent:
            mark = event.start_mark
            where = new(Position, (file, mark.line + 1, mark.column + 1))
            value = text = event.value
            tag = event.tag
            if tag is None or tag == "!":
                tag = plain_tag(value) if event.implicit[0] else STR
            if frame is not None and frame[1] is _KEY:
                if tag != STR:
                    if tag == MERGE:
                        frame[1] = _MERGE
                        continue
                    tagged_value(tag, value, where, problems)  # reports an unsupported tag; the key stays text
                if event.anchor:
                    anchors.define(event.anchor, value, {(): where}, {}, 0, value)
                frame[1] = _key(frame, value, where, key_positions, problems)
                continue
            if tag != STR:
                value = plain_value(value, tag) if event.implicit[0] and event.tag is None else tagged_value(
                    tag, value, where, problems)
            if event.anchor:
                anchors.define(event.anchor, value, {(): where}, {}, 0, text)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            mark = event.start_mark
            where = new(Position, (file, mark.line + 1, mark.column + 1))
            if len(stack) > MAX_DEPTH:
                raise aliases.too_deep(file, where)
            is_map = cls is MappingStartEvent
            collection_tag_problem(event.tag, MAP if is_map else SEQ, where, problems)
            container = {} if is_map else []
            if frame is None:
                root = container
            role, at = _role(frame, container, where, problems)
            anchor = event.anchor
            pushed = anchor is not None or role is not None
            if pushed:
                tables.append((positions, key_positions))
                positions, key_positions = {}, {}
                path = ()
            else:
                path = at
            positions[path] = where
            if anchor is not None:
                anchors.open(anchor)
            frame = [container, _KEY if is_map else None, path, None, anchor, role, pushed, at]
            stack.append(frame)
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            value = done[0]
            if done[3]:
                merge_into(value, done[3], done[2], positions, key_positions)
            if done[6]:
                inner = positions, key_positions
                positions, key_positions = tables.pop()
                if done[4] is not None:
                    anchors.close(done[4], value, inner)
            frame = stack[-1] if stack else None
            role = done[5]
            if role is None:
                if done[6]:
                    place(done[7], inner, positions, key_positions, own=None)
            elif role is _MERGE:
                frame[3] = (frame[3] or []) + merge_sources(value, inner, problems)
            elif role is _BAD_KEY:
                frame[1] = _SKIP
            continue
        elif cls is AliasEvent:
            mark = event.start_mark
            where = new(Position, (file, mark.line + 1, mark.column + 1))
            value, inner, height, text = anchors.use(event.anchor, where, len(stack))
            if frame is not None and frame[1] is _KEY:
                if text is None:
                    problems.append(Problem(where, "mapping keys must be plain scalars"))
                    frame[1] = _SKIP
                else:
                    frame[1] = _key(frame, text, where, key_positions, problems)
                continue
            value = aliases.copy(value)
            state = frame[1]
            if state is _MERGE:
                frame[1] = _KEY
                frame[3] = (frame[3] or []) + merge_sources(value, inner, problems, where)
                continue
            if state is _SKIP:
                frame[1] = _KEY
                continue
            at = frame[2] + (len(frame[0]),) if state is None else state
            place(at, inner, positions, key_positions, own=where)
            if state is None:
                frame[0].append(value)
            else:
                frame[0][state[-1]] = value
                frame[1] = _KEY
            continue
        elif cls is DocumentStartEvent:
            positions, key_positions, problems, root = {}, {}, [], None
            anchors.reset()
            continue
        elif cls is DocumentEndEvent:
            yield Document(root, positions, key_positions, problems)
            continue
        elif cls is StreamEndEvent:
            return
        else:
            continue
        # a scalar value
        if frame is None:
            positions[()] = where
            root = value
            continue
        state = frame[1]
        if state is None:  # an item of a sequence
            container = frame[0]
            positions[frame[2] + (len(container),)] = where
            container.append(value)
        elif state is _SKIP:
            frame[1] = _KEY
        elif state is _MERGE:
            problems.append(Problem(where, "'<<' merges only mappings"))
            frame[1] = _KEY
        else:
            positions[state] = where
            frame[0][state[-1]] = value
            frame[1] = _KEY


def _key(frame: list, key: str, where: Position, key_positions: dict, problems: list):
    """The state of a mapping after reading ``key``: the path of the value to come, or _SKIP after a duplicate."""
    path = frame[2] + (key,)
    if key in frame[0]:
        first = key_positions[path]
        problems.append(Problem(where, f"duplicate key {key!r} (first defined at line {first.line}); "
                                       "YAML would silently keep only the last one"))
        return _SKIP
    key_positions[path] = where
    return path


def _role(frame, container, where: Position, problems: list):
    """How a container that starts now joins its parent: (role, its path in the parent's table).

    The role is None for a value kept at that path; _SKIP, _MERGE or _BAD_KEY for one read aside."""
    if frame is None:
        return None, ()
    state = frame[1]
    if state is None:
        at = frame[2] + (len(frame[0]),)
        frame[0].append(container)
        return None, at
    if state is _KEY:
        problems.append(Problem(where, "mapping keys must be plain scalars"))
        return _BAD_KEY, None
    frame[1] = _KEY
    if state is _SKIP or state is _MERGE:
        return state, None
    frame[0][state[-1]] = container
    return None, state


def _strings(get_event, file: str):
    anchors = Anchors(file, typed=False)
    stack: list = []  # frames: [container, pending key and its position, merge sources, anchor]
    problems: list = []
    root = None
    get = get_event
    while True:
        event = get()
        cls = event.__class__
        if cls is ScalarEvent:
            mark = event.start_mark
            node = event.value
            style = event.style
            if not style and node in NULLS and event.implicit[0]:  # plain style is '' from libyaml, None from PyYAML
                node = None
            pos = (mark.line + 1, mark.column + 1)
            if event.anchor:
                anchors.define(event.anchor, node)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if len(stack) > MAX_DEPTH:
                raise aliases.too_deep(file, Position(file, *pos))
            if cls is MappingStartEvent:
                container = PosMap()
                container.key_pos, container.value_pos, container.styles = {}, {}, {}
            else:
                container = PosList()
                container.item_pos = []
            container.pos = pos
            if event.anchor:
                anchors.define(event.anchor, container)
                anchors.open(event.anchor)
            stack.append([container, None, None, event.anchor])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            node = frame[0]
            pos, style = node.pos, None
            if frame[2]:
                _merge_strings(node, frame[2], problems, file)
            if frame[3]:
                anchors.close(frame[3], node, None)
        elif cls is AliasEvent:
            mark = event.start_mark
            pos, style = (mark.line + 1, mark.column + 1), None
            node = anchors.use(event.anchor, Position(file, *pos), len(stack))
        elif cls is DocumentEndEvent:
            yield Document(root, problems=problems)
            problems, root = [], None
            continue
        elif cls is DocumentStartEvent:
            anchors.reset()
            continue
        elif cls is StreamEndEvent:
            return
        else:
            continue
        if not stack:
            root = node
            continue
        frame = stack[-1]
        container = frame[0]
        if container.__class__ is PosList:
            container.append(node)
            container.item_pos.append(pos)
        elif frame[1] is None:
            frame[1] = (node, pos)
        else:
            key, key_pos = frame[1]
            frame[1] = None
            if key == "<<":
                if node.__class__ is PosMap or node.__class__ is PosList:
                    frame[2] = (frame[2] or []) + ([node] if node.__class__ is PosMap else list(node))
                else:
                    problems.append(Problem(Position(file, *pos), "'<<' merges only mappings"))
            elif key.__class__ is not str:
                problems.append(Problem(Position(file, *key_pos), "mapping keys must be plain strings"))
            elif key in container:
                first = container.key_pos[key]
                problems.append(Problem(Position(file, *key_pos), f"duplicate key {key!r} (first defined at line "
                                        f"{first[0]}); YAML would silently keep only the last one"))
            else:
                container[key] = node
                container.key_pos[key] = key_pos
                container.value_pos[key] = pos
                if style == "|" or style == ">":
                    container.styles[key] = style


def _merge_strings(target: PosMap, sources: list, problems: list, file: str) -> None:
    for source in sources:
        if source.__class__ is not PosMap:
            problems.append(Problem(Position(file, *target.pos), "'<<' merges only mappings"))
            continue
        for key, value in source.items():
            if key not in target:
                target[key] = value
                target.key_pos[key] = source.key_pos[key]
                target.value_pos[key] = source.value_pos[key]
