"""A YAML file as a tree of positioned nodes, from libyaml's event stream, for editing text in place.

``annotate`` changes a few scalars of a rule file and must know exactly where
each one was written (character offsets, not just lines), how it was written
(plain, quoted, a block, inside ``{...}``), and whether the node is shared
through an anchor. Events carry all of that. Aliases are kept as ``alias``
nodes pointing at their target, never expanded, so an alias bomb costs no more
than its text; every anchored node counts the aliases that use it.

Positions follow the package's convention: ``line`` and ``col`` count from 1
(``col - 1`` is the number of characters before the node on its line);
``start`` and ``end`` are character offsets into the text, for slicing it.
The event source, the event limit and the error (``YamlError``) are the
package's own.

``signatures`` turns a text into the comparable form of its events (what a YAML
reader sees, positions left out): two texts with equal signatures read as the
same data with the same styles, which is how edits are verified.
"""

from __future__ import annotations

import yaml
from yaml.events import (AliasEvent, CollectionStartEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent,
                         MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from runbookgen.yamlread.events import parser, reading_error, refused
from runbookgen.yamlread.limits import MAX_EVENTS


class Node:
    """One scalar, mapping, sequence or alias, with where its text starts and ends (character offsets)."""

    __slots__ = ("kind", "start", "end", "line", "col", "anchor", "tag", "style", "value", "pairs", "items",
                 "flow", "first_event", "last_event", "target", "uses", "implicit")

    def __init__(self, kind: str, event, index: int):
        self.kind = kind  # "scalar", "map", "seq" or "alias"
        self.start, self.end = event.start_mark.index, event.end_mark.index
        self.line, self.col = event.start_mark.line + 1, event.start_mark.column + 1
        self.anchor = getattr(event, "anchor", None)
        self.tag = getattr(event, "tag", None)
        self.implicit = getattr(event, "implicit", None)
        self.style = getattr(event, "style", None) or ""
        self.flow = bool(getattr(event, "flow_style", False))
        self.value = getattr(event, "value", None) if kind == "scalar" else None
        self.pairs: list[tuple[Node, Node]] = []
        self.items: list[Node] = []
        self.first_event = self.last_event = index
        self.target: Node | None = None  # for an alias: the anchored node
        self.uses: list[Node] = []  # for an anchored node: the aliases that use it

    def get(self, key: str) -> list[tuple[Node, Node]]:
        """The (key, value) pairs of a mapping whose key is the plain text ``key`` (several when repeated)."""
        return [(k, v) for k, v in self.pairs if k.kind == "scalar" and k.value == key]

    def resolved(self) -> Node:
        return self.target if self.kind == "alias" and self.target is not None else self

    @property
    def shared(self) -> bool:
        """Reached through an alias, or anchored and used by one: one edit would change several places."""
        return self.kind == "alias" or bool(self.uses)


def read_tree(text: str, file: str = "<text>") -> list[Node | None]:
    """The root node of every document in ``text``; YamlError when it is not YAML."""
    loader = parser(text, file)
    try:
        return _build(loader, file)
    except yaml.YAMLError as err:
        raise reading_error(err, text, file) from None
    finally:
        loader.dispose()


def _build(loader, file: str) -> list[Node | None]:
    roots: list[Node | None] = []
    stack: list[list] = []  # [container node, pending key]
    anchors: dict[str, Node] = {}
    root = None
    index = -1
    while True:
        event = loader.get_event()
        index += 1
        if index > MAX_EVENTS:
            raise refused(file, 1, 1, f"more than {MAX_EVENTS:,} YAML events; not a rule file annotate can edit")
        cls = event.__class__
        if cls is ScalarEvent:
            node = Node("scalar", event, index)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            node = Node("map" if cls is MappingStartEvent else "seq", event, index)
            if node.anchor:
                anchors[node.anchor] = node
            stack.append([node, None])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            node = stack.pop()[0]
            node.end, node.last_event = event.end_mark.index, index
        elif cls is AliasEvent:
            node = Node("alias", event, index)
            node.target = anchors.get(event.anchor)
            if node.target is not None:
                node.target.uses.append(node)
        elif cls is DocumentEndEvent:
            roots.append(root)
            root = None
            continue
        elif cls is StreamEndEvent:
            return roots
        else:
            continue
        if node.kind == "scalar" and node.anchor:
            anchors[node.anchor] = node
        if not stack:
            root = node
            continue
        frame = stack[-1]
        parent = frame[0]
        if parent.kind == "seq":
            parent.items.append(node)
        elif frame[1] is None:
            frame[1] = node
        else:
            parent.pairs.append((frame[1], node))
            frame[1] = None


def signatures(text: str, file: str = "<text>") -> list[tuple]:
    """What a YAML reader sees in ``text``, event by event, without positions; YamlError when not YAML."""
    loader = parser(text, file)
    out: list[tuple] = []
    try:
        while True:
            event = loader.get_event()
            cls = event.__class__
            if cls is ScalarEvent:
                out.append(("scalar", event.anchor, event.tag, event.implicit, event.value, event.style or ""))
            elif isinstance(event, CollectionStartEvent):
                out.append((cls.__name__, event.anchor, event.tag, bool(event.flow_style)))
            elif cls is AliasEvent:
                out.append(("alias", event.anchor))
            elif cls is DocumentStartEvent:
                out.append(("doc", event.explicit, event.version, event.tags))
            else:
                out.append((cls.__name__,))
            if cls is StreamEndEvent or len(out) > MAX_EVENTS:
                return out
    except yaml.YAMLError as err:
        raise reading_error(err, text, file) from None
    finally:
        loader.dispose()
