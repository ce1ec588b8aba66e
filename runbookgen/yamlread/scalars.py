"""What a scalar means: YAML 1.1 implicit resolution and explicit tags, as PyYAML's SafeLoader reads them.

Plain scalars resolve to null, bool, int, float or str by PyYAML's own resolver (``yes`` is True,
``0x1F`` is 31, ``1_000`` is 1000). Timestamps stay strings: the schema checks dates, and output shows
them as written. An explicit tag that cannot hold its text (``!!int ""``, ``!!bool maybe``) keeps the
text, so that the schema says what is wrong where it is written. Any other tag (``!Ref``,
``!!python/object``) is a problem: it would otherwise be read as plain data.
"""

from __future__ import annotations

import yaml

from runbookgen.problems import Position, Problem
from runbookgen.yamlread.events import Parser

STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"
NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # a plain scalar read as null where values are strings
_CONSTRUCTORS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
}
PLAIN_TAGS = frozenset(_CONSTRUCTORS)  # what a plain scalar may resolve to and be read as its value at once
_constructor = yaml.constructor.SafeConstructor()
_resolver = Parser("")  # PyYAML's resolver, with the implicit rules of SafeLoader
_resolver.dispose()
_PLAIN = (True, False)
# The first characters for which SafeLoader's resolver has an implicit rule: a plain scalar that starts with
# any other character is a string without asking it (most of an inventory's prose: "Roll back the deploy").
class _EveryCharacter:
    def __contains__(self, char) -> bool:
        return True


RESOLVED_FIRST = frozenset(k for k in _resolver.yaml_implicit_resolvers if k) \
    if None not in _resolver.yaml_implicit_resolvers and not _resolver.yaml_path_resolvers else _EveryCharacter()


def resolve(value: str, implicit) -> str:
    """The tag of an untagged (or ``!``-tagged) scalar, as SafeLoader resolves it."""
    return _resolver.resolve(yaml.ScalarNode, value, implicit)


class PlainScalars:
    """Resolution of plain scalars, remembered per text: a large file repeats the same few many times."""

    def __init__(self):
        self.tags: dict[str, str] = {}
        self.values: dict[str, object] = {}

    def tag(self, value: str) -> str:
        tag = self.tags.get(value)
        if tag is None:
            tag = self.tags[value] = _resolver.resolve(yaml.ScalarNode, value, _PLAIN)
        return tag

    def value(self, value: str, tag: str):
        """The value of a plain scalar whose resolved tag is not str (it cannot raise or be unsupported)."""
        if value in self.values:
            return self.values[value]
        found = self.values[value] = tagged_value(tag, value, None, [])
        return found


def tagged_value(tag: str, value: str, where: Position | None, problems: list):
    """The Python value of a scalar whose tag is not ``!!str``; an unsupported tag becomes a problem."""
    method = _CONSTRUCTORS.get(tag)
    if method:
        try:
            return getattr(_constructor, method)(yaml.ScalarNode(tag, value))
        except (ValueError, LookupError, yaml.YAMLError):  # `!!int x`, `!!bool maybe`, `!!int ""`: the text
            return value
    if not tag.startswith("tag:yaml.org,2002:timestamp") and tag != STR:  # !Ref, !!binary, `=` (!!value), ...
        problems.append(Problem(where, f"unsupported YAML tag {tag!r}"))
    return value


def collection_tag_problem(tag, plain: str, where: Position, problems: list) -> None:
    """``!Ref {...}`` or ``!!python/object [...]`` would be read as plain data; say it is not supported."""
    if tag is not None and tag != "!" and tag != plain:
        problems.append(Problem(where, f"unsupported YAML tag {tag!r}"))
