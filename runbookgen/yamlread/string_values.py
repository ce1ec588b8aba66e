"""The rule files' way of the value builder: strings in ``PosMap``/``PosList`` that carry their positions.

As Prometheus reads a rule file: every scalar is its text (a plain empty value, ``~`` or ``null`` is
None) and tags are not looked at. An alias shares the object its anchor names; what it adds, expanded,
counts against the same limit as in typed documents.
"""

from __future__ import annotations

from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from runbookgen.problems import Position, Problem
from runbookgen.yamlread import aliases
from runbookgen.yamlread.aliases import Anchors
from runbookgen.yamlread.limits import MAX_DEPTH, MAX_VALUES
from runbookgen.yamlread.scalars import NULLS
from runbookgen.yamlread.values import Document, PosList, PosMap


def string_documents(get_event, file: str):
    anchors = Anchors(file, typed=False)
    stack: list = []  # frames: [container, pending key and its position, merge sources, anchor]
    problems: list = []
    root = None
    get = get_event
    max_depth = MAX_DEPTH
    budget = MAX_VALUES  # keys and values left before the file is refused (the root is not counted)
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
            if len(stack) > max_depth:
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
            budget -= len(node) + len(node.key_pos) if cls is MappingEndEvent else len(node)
            if budget < 0:  # counted as each container ends: no cost per scalar
                raise aliases.too_many(file, *pos)
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
