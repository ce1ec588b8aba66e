"""What the value builder gives: plain values with the position of every key and value, from the event stream.

``build.read_documents(text, file, typed=...)`` takes the parser's events and builds each document at
once, without a node graph walked a second time (``typed_values`` and ``string_values`` hold the two
loops over the events; anchors, aliases, merge keys and their limits are in ``aliases``, scalars in
``scalars``). The two ways differ only in what a scalar is and where positions are kept:

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
