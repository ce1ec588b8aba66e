"""Edit rule files in place with ruamel.yaml, changing nothing but the values asked for.

ruamel.yaml's round trip keeps comments, key order and quoting, but its output
uses one indentation for the whole file and drops a comment above the first
``---``. So an edited file is not written as ruamel prints it: the file is printed
twice in the same style, without and with the edits, and only the lines that
differ between those two are carried over into the original text, where the
lines around them match. Everything else stays byte for byte as it was. Styles
are tried in turn (the file's own first) until every edit has landed; the result
is then read back and must hold exactly the original data plus the edits.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from runbookgen.problems import InputError, Position, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STYLES = ((2, 2, 0), (2, 4, 2), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 2, 2))  # (mapping, sequence, offset)
_KEY_LINE = re.compile(r"^( *)(- )?[^\s#-][^:#]*:\s*(#.*)?$")


@dataclass(frozen=True)
class Edit:
    """Set ``rule.annotations[key]`` to ``value``; the rule is at ``path`` in document ``doc``."""

    doc: int
    path: tuple
    key: str
    value: str


@dataclass(frozen=True)
class AlertRuleNode:
    doc: int
    path: tuple
    name: str
    rule: CommentedMap
    line: int  # 1-based position of the alert: key
    col: int


def load_round_trip(text: str, shown: str) -> list:
    """Every document of a rule file as ruamel round-trip data; InputError when it cannot be read."""
    try:
        return list(_yaml().load_all(text))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        pos = Position(shown, mark.line + 1, mark.column + 1) if mark else Position(shown, 1, 1)
        raise InputError([Problem(pos, f"cannot edit: {err.problem or err.context or 'invalid YAML'}")]) from None
    except YAMLError as err:
        raise InputError([Problem(Position(shown, 1, 1), f"cannot edit: {err}")]) from None


def alert_rules(documents: list) -> list[AlertRuleNode]:
    """The alerting rules of a ``groups:`` file, ``PrometheusRule`` resources and Kubernetes ``List`` s."""
    found: list[AlertRuleNode] = []
    for index, data in enumerate(documents):
        for holder, path in _holders(data, ()):
            groups = holder.get("groups")
            for g, group in enumerate(groups if isinstance(groups, CommentedSeq) else ()):
                rules = group.get("rules") if isinstance(group, CommentedMap) else None
                for r, rule in enumerate(rules if isinstance(rules, CommentedSeq) else ()):
                    if isinstance(rule, CommentedMap) and isinstance(rule.get("alert"), str) and rule["alert"]:
                        line, col = rule.lc.key("alert")
                        found.append(AlertRuleNode(index, path + ("groups", g, "rules", r), rule["alert"], rule,
                                                   line + 1, col + 1))
    return found


def _holders(data, path: tuple):
    if not isinstance(data, CommentedMap):
        return
    kind = data.get("kind")
    if kind == "PrometheusRule" and isinstance(data.get("spec"), CommentedMap):
        yield data["spec"], path + ("spec",)
    elif isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), CommentedSeq):
        for n, item in enumerate(data["items"]):
            yield from _holders(item, path + ("items", n))
    elif kind is None and "groups" in data:
        yield data, path


def apply_edits(text: str, edits: list[Edit], shown: str) -> tuple[str, list[Edit]]:
    """``text`` with ``edits`` made, and the edits that could not be made without rewriting other lines."""
    if "\r\n" in text:  # ruamel.yaml writes \n; edit with \n and give the file its line ends back
        result, failed = apply_edits(text.replace("\r\n", "\n"), edits, shown)
        return result.replace("\n", "\r\n"), failed
    if text and not text.endswith("\n"):  # ruamel.yaml ends every file with a line break
        result, failed = apply_edits(text + "\n", edits, shown)
        return result.removesuffix("\n"), failed
    current, pending = text, list(edits)
    for style in _styles(text):
        documents = load_round_trip(current, shown)
        before = _dump(documents, style, current)
        for edit in pending:
            set_annotation(_at(documents[edit.doc], edit.path), edit.key, edit.value)
        after = _dump(documents, style, current)
        current = transplant(current, before, after)
        plain = list(yaml.load_all(current, Loader=_Loader))
        pending = [e for e in pending if _plain_value(plain, e) != e.value]
        if not pending:
            break
    done = [e for e in edits if e not in pending]
    _verify(text, current, done)
    return current, pending


def set_annotation(rule: CommentedMap, key: str, value: str) -> None:
    """Set ``rule.annotations[key]``, keeping the quoting of a value it replaces."""
    annotations = rule.get("annotations")
    if isinstance(annotations, CommentedMap):
        if key in annotations:
            old = annotations[key]
            annotations[key] = type(old)(value) if isinstance(old, ScalarString) else value
        else:
            _append(annotations, key, value)
        return
    if annotations is not None:
        raise ValueError("annotations is not a mapping")
    fresh = CommentedMap()
    fresh[key] = value
    if "annotations" in rule:  # `annotations:` with no value
        rule["annotations"] = fresh
    else:
        _append(rule, "annotations", fresh)


def _append(mapping: CommentedMap, key: str, value) -> None:
    """Add ``key`` last, moving the blank lines and comments that followed the old last value after it."""
    moved = _take_trailing(mapping) if mapping else ""
    mapping[key] = value
    if not moved:
        return
    holder, last = mapping, key
    while isinstance(holder[last], CommentedMap) and holder[last]:
        holder, last = holder[last], list(holder[last])[-1]
    holder.ca.items[last] = [None, None, CommentToken("\n" + moved, CommentMark(0), None), None]


def _take_trailing(node) -> str:
    """Detach the full lines of comment (and blank lines) after the deepest last value of ``node``."""
    while True:
        if isinstance(node, CommentedMap) and node:
            last = list(node)[-1]
            slot = 2
        elif isinstance(node, CommentedSeq) and node:
            last, slot = len(node) - 1, 0
        else:
            return ""
        child = node[last]
        if isinstance(child, (CommentedMap, CommentedSeq)) and child and not child.fa.flow_style():
            node = child
            continue
        entry = node.ca.items.get(last)
        token = entry[slot] if entry and len(entry) > slot else None
        if not isinstance(token, CommentToken):
            return ""
        value = token.value
        on_same_line = value.startswith("#") or token.column > 0
        if not on_same_line:
            entry[slot] = None
            return value
        head, sep, rest = value.partition("\n")
        token.value = head + sep
        return rest


def transplant(original: str, before: str, after: str) -> str:
    """Apply the line changes from ``before`` to ``after`` to ``original`` where ``before`` matches it."""
    if before == after:
        return original
    orig_lines = original.splitlines(keepends=True)
    before_lines = before.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    where: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, before_lines, orig_lines, autojunk=False).get_matching_blocks():
        for n in range(block.size):
            where[block.a + n] = block.b + n
    changes = []
    ops = difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        anchor = _anchor(where, i1, i2, len(before_lines), len(orig_lines))
        if anchor is not None:
            changes.append((anchor, anchor + (i2 - i1), after_lines[j1:j2]))
    for start, end, lines in sorted(changes, reverse=True):
        orig_lines[start:end] = lines
    return "".join(orig_lines)


def _anchor(where: dict[int, int], i1: int, i2: int, n_before: int, n_orig: int) -> int | None:
    """The original line where ``before[i1:i2]`` sits, when it and its neighbours match one to one."""
    if i1 > 0 and i1 - 1 not in where:
        return None
    start = where[i1 - 1] + 1 if i1 > 0 else 0
    for offset, n in enumerate(range(i1, i2)):
        if where.get(n) != start + offset:
            return None
    following = where.get(i2) if i2 < n_before else n_orig
    if following != start + (i2 - i1):
        return None
    return start


def _verify(original: str, result: str, edits: list[Edit]) -> None:
    """The result must read as the original data with exactly ``edits`` applied (else a bug: write nothing)."""
    expected = list(yaml.load_all(original, Loader=_Loader))
    for edit in edits:
        rule = _at(expected[edit.doc], edit.path)
        if not isinstance(rule.get("annotations"), dict):
            rule["annotations"] = {}
        rule["annotations"][edit.key] = edit.value
    if list(yaml.load_all(result, Loader=_Loader)) != expected:
        raise RuntimeError("editing the rule file would change more than the runbook_url annotations")


def _plain_value(documents: list, edit: Edit):
    try:
        annotations = _at(documents[edit.doc], edit.path).get("annotations") or {}
        return annotations.get(edit.key)
    except (LookupError, AttributeError, TypeError):
        return None


def _at(data, path: tuple):
    for key in path:
        data = data[key]
    return data


def _yaml() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 1 << 30  # never fold long lines
    return handler


def _dump(documents: list, style: tuple[int, int, int], text: str) -> str:
    handler = _yaml()
    handler.indent(mapping=style[0], sequence=style[1], offset=style[2])
    handler.explicit_start = _first_content_line(text).startswith("---")
    out = io.StringIO()
    handler.dump_all(documents, out)
    return out.getvalue()


def _first_content_line(text: str) -> str:
    return next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")


def _styles(text: str) -> list[tuple[int, int, int]]:
    guessed = _guess_style(text)
    return [guessed] + [s for s in STYLES if s != guessed]


def _guess_style(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) from the first nested mapping and list in ``text``."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    mapping = offset = None
    for line, following in zip(lines, lines[1:]):
        match = _KEY_LINE.match(line)
        if not match:
            continue
        column = len(match.group(1)) + (2 if match.group(2) else 0)
        indent = len(following) - len(following.lstrip(" "))
        if following.lstrip().startswith("- ") and offset is None and indent >= column:
            offset = indent - column
        elif indent > column and mapping is None and not following.lstrip().startswith("- "):
            mapping = indent - column
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 0 if offset is None else offset
    return (mapping, offset + 2, offset)
