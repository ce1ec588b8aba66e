"""Read YAML fast, keeping the line and column of every key and value, from libyaml's event stream.

Rule files can be large (a Kubernetes distribution ships thousands of rules).
Instead of composing a node graph and walking it a second time, this reader takes
libyaml's events and builds plain dicts and lists (``PosMap``, ``PosList``) at
once, with the cycle collector paused (it would walk the growing pile of objects
over and over for nothing). They carry 0-based ``(line, col)`` positions:
``pos`` for the container itself, ``key_pos``/``value_pos`` per key, ``item_pos``
per list item. Scalars stay strings, as Prometheus reads every value of a rule
file; a plain empty value, ``~`` or ``null`` is None.

Anchors and aliases are followed (an alias shares the anchored object); ``<<``
merge keys are honoured; duplicate keys and non-scalar keys are collected in
``Document.problems`` instead of raising. Two kinds of alias are refused with a
YamlSyntaxError at the alias, as the rulers' own YAML readers refuse them: one
inside the node its anchor names (a recursive structure, which no later walk
could finish), and aliases that would expand the file to more than
``MAX_ALIAS_VALUES`` values (an alias bomb: sharing costs nothing here, but every
reader after this one, and every ruler, would pay for the expansion).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
MAX_ALIAS_VALUES = 100_000  # values that aliases may add, expanded, to one file


class PosMap(dict):
    """A mapping that knows where it, its keys and its values were written."""

    __slots__ = ("pos", "key_pos", "value_pos", "styles")


class PosList(list):
    """A sequence that knows where it and its items were written."""

    __slots__ = ("pos", "item_pos")


@dataclass
class Document:
    data: object
    problems: list = field(default_factory=list)  # (line, col, message), 0-based


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def read_documents(text: str) -> list[Document]:
    """Every document of ``text``; raises YamlSyntaxError (0-based position) on malformed YAML."""
    loader = _Loader(text)
    collecting = gc.isenabled()
    gc.disable()  # the reader allocates many small objects that are never cyclic garbage
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            message = f"{err.problem} ({err.context})"
        raise YamlSyntaxError(message, mark.line if mark else 0, mark.column if mark else 0) from None
    except yaml.YAMLError as err:
        raise YamlSyntaxError(str(err).splitlines()[0] if str(err) else "invalid YAML", 0, 0) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()


def _build(loader) -> list[Document]:
    documents: list[Document] = []
    stack: list[list] = []  # [container, pending key and its position, merges]
    anchors: dict = {}
    open_anchors: set = set()  # anchors of the containers being read: an alias to one is recursive
    expanded = [0]  # values the aliases of this file stand for
    sizes: dict = {}  # id(container) -> its size, aliases expanded
    problems: list = []
    document_root = None
    get_event = loader.get_event
    while True:
        event = get_event()
        cls = event.__class__
        if cls is ScalarEvent:
            mark = event.start_mark
            node = event.value
            if node in _NULLS and not event.style and event.implicit[0]:  # plain style is '' from libyaml
                node = None
            pos = (mark.line, mark.column)
            if event.anchor:
                anchors[event.anchor] = node
            style = event.style
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            mark = event.start_mark
            if cls is MappingStartEvent:
                container = PosMap()
                container.key_pos, container.value_pos, container.styles = {}, {}, {}
            else:
                container = PosList()
                container.item_pos = []
            container.pos = (mark.line, mark.column)
            if event.anchor:
                anchors[event.anchor] = container
                open_anchors.add(event.anchor)
            stack.append([container, None, None, event.anchor])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            node, pos, style = frame[0], frame[0].pos, None
            if frame[2]:
                _merge(node, frame[2], problems)
            if frame[3]:
                open_anchors.discard(frame[3])
        elif cls is AliasEvent:
            mark = event.start_mark
            node, pos, style = anchors.get(event.anchor), (mark.line, mark.column), None
            if event.anchor in open_anchors:
                raise YamlSyntaxError(f"alias *{event.anchor} is inside the node its anchor &{event.anchor} names "
                                      "(a recursive structure, which no ruler reads)", *pos)
            if node.__class__ is PosMap or node.__class__ is PosList:
                expanded[0] += _expanded_size(node, sizes)
                if expanded[0] > MAX_ALIAS_VALUES:
                    raise YamlSyntaxError(f"aliases expand this file to more than {MAX_ALIAS_VALUES:,} values "
                                          "(an alias bomb?)", *pos)
        elif cls is StreamEndEvent:
            return documents
        elif cls is DocumentEndEvent:
            documents.append(Document(document_root, problems))
            problems = []
            continue
        else:  # stream and document start
            continue
        if not stack:
            document_root = node
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
            if key == "<<" and isinstance(node, (PosMap, PosList)):
                frame[2] = (frame[2] or []) + ([node] if isinstance(node, PosMap) else list(node))
            elif not isinstance(key, str):
                problems.append((*key_pos, "mapping keys must be plain strings"))
            elif key in container:
                first = container.key_pos[key]
                problems.append((*key_pos, f"duplicate key {key!r} (first defined at line {first[0] + 1}); "
                                           "YAML would silently keep only the last one"))
            else:
                container[key] = node
                container.key_pos[key] = key_pos
                container.value_pos[key] = pos
                if style == "|" or style == ">":
                    container.styles[key] = style


def _expanded_size(node, sizes: dict) -> int:
    """How many values ``node`` holds with every alias in it expanded (the node graph has no cycle).

    Iterative, and remembered per container, so it costs one visit of each container however deep or shared.
    """
    todo = [node]
    while todo:
        current = todo[-1]
        if id(current) in sizes:
            todo.pop()
            continue
        values = current.values() if current.__class__ is PosMap else current
        children = [v for v in values if v.__class__ is PosMap or v.__class__ is PosList]
        pending = [c for c in children if id(c) not in sizes]
        if pending:
            todo += pending
            continue
        todo.pop()
        sizes[id(current)] = 1 + len(current) + sum(sizes[id(c)] for c in children)
    return sizes[id(node)]


def _merge(target: PosMap, sources: list, problems: list) -> None:
    for source in sources:
        if not isinstance(source, PosMap):
            problems.append((*target.pos, "'<<' merges only mappings"))
            continue
        for key, value in source.items():
            if key not in target:
                target[key] = value
                target.key_pos[key] = source.key_pos[key]
                target.value_pos[key] = source.value_pos[key]
