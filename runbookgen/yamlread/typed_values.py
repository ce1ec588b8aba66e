"""The inventory's way of the value builder: typed scalars, plain dicts and lists, a position per path.

Each document's ``positions`` and ``key_positions`` map a path (keys and list indexes) to the
``Position`` of its value and key. A container that is anchored, or read aside (the value of a
duplicate key, a ``<<`` source, a key that is not a scalar), is read into tables of its own, relative
to it; they are placed at its path when it ends, kept for the aliases that use it, or dropped.
"""

from __future__ import annotations

from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from runbookgen.problems import Position, Problem
from runbookgen.yamlread import aliases
from runbookgen.yamlread.aliases import Anchors, merge_into, merge_sources, place
from runbookgen.yamlread.limits import MAX_DEPTH, MAX_VALUES
from runbookgen.yamlread.scalars import (MAP, MERGE, PLAIN_TAGS, RESOLVED_FIRST, SEQ, STR, PlainScalars,
                                         collection_tag_problem, tagged_value)
from runbookgen.yamlread.values import Document

_KEY = object()  # a mapping waits for its next key
_SKIP = object()  # the value being read is dropped: it follows a duplicate key or a key that is not a scalar
_MERGE = object()  # the value being read is a '<<' merge source
_BAD_KEY = object()  # (typed) the container being read stands where a key should be


def typed_documents(get_event, file: str):
    new = tuple.__new__  # Position(...) without the named tuple's Python-level __new__
    budget = MAX_VALUES  # keys and values left before the file is refused
    plain = PlainScalars()
    plain_tag, plain_value = plain.tag, plain.value
    known_tag = plain.tags.get  # a plain scalar's tag, once its text was resolved
    resolved_first = RESOLVED_FIRST
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
            budget -= 1
            if budget < 0:
                raise aliases.too_many(file, mark.line + 1, mark.column + 1)
            where = new(Position, (file, mark.line + 1, mark.column + 1))
            value = text = event.value
            tag = event.tag
            if tag is None or tag == "!":
                if not event.implicit[0] or value and value[0] not in resolved_first:
                    tag = STR
                else:
                    tag = known_tag(value) or plain_tag(value)
            if frame is not None and frame[1] is _KEY:
                if tag != STR:
                    if tag == MERGE:
                        frame[1] = _MERGE
                        continue
                    tagged_value(tag, value, where, problems)  # reports an unsupported tag; the key stays text
                if event.anchor:
                    anchors.define(event.anchor, value, {(): where}, {}, 0, value)
                if value in frame[0]:
                    frame[1] = _duplicate(frame, value, where, key_positions, problems)
                else:  # the path of the value to come
                    path = frame[1] = frame[2] + (value,)
                    key_positions[path] = where
                continue
            if tag != STR:
                value = plain_value(value, tag) if event.implicit[0] and event.tag is None and tag in PLAIN_TAGS \
                    else tagged_value(tag, value, where, problems)
            if event.anchor:
                anchors.define(event.anchor, value, {(): where}, {}, 0, text)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            mark = event.start_mark
            budget -= 1
            if budget < 0:
                raise aliases.too_many(file, mark.line + 1, mark.column + 1)
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
                elif text in frame[0]:
                    frame[1] = _duplicate(frame, text, where, key_positions, problems)
                else:
                    path = frame[1] = frame[2] + (text,)
                    key_positions[path] = where
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


def _duplicate(frame: list, key: str, where: Position, key_positions: dict, problems: list):
    """The state of a mapping after reading ``key`` a second time (a problem): _SKIP, its value is dropped."""
    first = key_positions[frame[2] + (key,)]
    problems.append(Problem(where, f"duplicate key {key!r} (first defined at line {first.line}); "
                                   "YAML would silently keep only the last one"))
    return _SKIP


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
