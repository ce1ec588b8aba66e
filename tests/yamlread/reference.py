"""PyYAML's own SafeLoader (on libyaml, as the reader), set to read as the two ways of ``yamlread.values`` read: the reference.

Typed: SafeLoader's values, except what the reader keeps as written on purpose: keys stay the
text of the key (``1:`` is "1", ``on:`` is "on"), timestamps and ``!!binary`` stay text.
Strings: every scalar is its text, a plain empty value, ``~`` or ``null`` is None, as Prometheus reads.
"""

from __future__ import annotations

import yaml

NULLS = ("", "~", "null", "Null", "NULL")
Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader  # the parser the reader uses


class Typed(Loader):
    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # SafeLoader: "found unhashable key"
                raise yaml.constructor.ConstructorError(None, None, "a key that is not a scalar", key_node.start_mark)
            key = key_node.value
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


Typed.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))
Typed.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)
Typed.add_constructor("tag:yaml.org,2002:binary", lambda loader, node: node.value)


class Strings(Typed):
    def construct_scalar(self, node):
        return node.value


def _string_scalar(loader, node):
    """Every scalar as its text; tags are not looked at (a mapping or list with a tag is read as one)."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    null = not node.style and node.tag == "tag:yaml.org,2002:null" and node.value in NULLS  # plain: None or ""
    return None if null else node.value


for _tag in ("null", "bool", "int", "float", "str", "timestamp", "binary"):
    Strings.add_constructor(f"tag:yaml.org,2002:{_tag}", _string_scalar)
Strings.add_constructor(None, _string_scalar)
Strings.add_multi_constructor("", lambda loader, suffix, node: _string_scalar(loader, node))


def typed(text: str) -> list:
    return list(yaml.load_all(text, Loader=Typed))


def strings(text: str) -> list:
    return list(yaml.load_all(text, Loader=Strings))


def node_positions(text: str) -> list[tuple[dict, dict]]:
    """(positions, key_positions) per document, from the marks of PyYAML's composed nodes (1-based)."""
    found = []
    for root in yaml.compose_all(text, Loader=Loader):
        positions: dict = {}
        keys: dict = {}
        todo = [((), root)] if root is not None else []
        while todo:
            path, node = todo.pop()
            positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    keys[path + (key_node.value,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                    todo.append((path + (key_node.value,), value_node))
            elif isinstance(node, yaml.SequenceNode):
                todo += [(path + (index,), item) for index, item in enumerate(node.value)]
        found.append((positions, keys))
    return found
