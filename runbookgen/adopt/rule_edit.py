"""Set ``runbook_url`` in rule files by splicing text at known offsets, and prove nothing else changed.

The file is read once as a tree of positioned nodes (``yamlread.tree``). Each edit is
a ``Splice``: a range of characters to replace, and what the YAML reader must see
there afterwards. A value is replaced where it is written, in its own quoting; a
missing key is inserted after the last entry of its mapping, at the column and
in the quoting of its neighbours (``key: value`` on a line of its own in a block
mapping, ``, key: value`` inside ``{...}``, so JSON stays JSON). Bytes outside the
splices are never touched, so comments, line ends, tabs and odd indentation
cannot be disturbed.

An edit that would change another rule too (annotations shared through an
anchor, a rule that is an alias, a merge key) is refused with the reason. After
splicing, the new text is read again and its events must be the old ones with
exactly the intended changes; a splice that fails this is refused on its own,
and the others are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from runbookgen.adopt.rule_nodes import RuleSite
from runbookgen.adopt.scalar_style import key_text, value_text
from runbookgen.adopt.splice_check import CLOSE, OPEN, VALUE
from runbookgen.yamlread.tree import Node

KEY = "runbook_url"
ANNOTATIONS = "annotations"


class Refused(Exception):
    """This rule cannot be edited exactly; the message says why, the line where."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass(frozen=True)
class Splice:
    start: int
    end: int
    text: str
    event: int  # the first event this replaces, or before which the new events go
    removed: int  # how many events it replaces
    added: tuple = ()  # the expected signatures of the new events


def plan_splice(text: str, site: RuleSite, url: str) -> list[Splice]:
    """Splices that would give ``site``'s rule ``runbook_url: url``, best first; Refused when none can."""
    for node, what in site.path:
        _refuse_shared(node, what)
    rule = site.rule
    annotations = _only(rule, ANNOTATIONS)
    if annotations is None:
        merged = _merged_annotations(rule)
        if merged is not None:
            raise Refused(f"its annotations come from the merge key '<<' (line {merged.line}), which other rules "
                          "may share; write this rule's annotations in the rule itself", merged.line, merged.col)
        return _insert(text, rule, ANNOTATIONS, url, nested=True)
    key_node, value = annotations
    _refuse_shared(value, "annotations")
    if value.kind == "scalar" and value.value in ("", "~", "null", "Null", "NULL") and not value.style:
        return [_fill_null(text, rule, key_node, value, url)]
    if value.kind != "map":
        raise Refused("its annotations are not a mapping", value.line, value.col)
    current = _only(value, KEY)
    if current is None:
        return _insert(text, value, KEY, url, nested=False, neighbours=rule)
    old = current[1]
    if old.kind == "scalar" or old.kind == "alias":
        if old.kind == "scalar":
            _refuse_shared(old, "runbook_url value")
        return [_replace(text, value, old, url)]
    raise Refused("its runbook_url is not text", old.line, old.col)


def _only(mapping: Node, key: str) -> tuple[Node, Node] | None:
    pairs = mapping.get(key)
    if len(pairs) > 1:
        lines = " and ".join(str(k.line) for k, _ in pairs)
        raise Refused(f"{key}: is written {len(pairs)} times in one mapping (lines {lines}); keep one",
                      pairs[-1][0].line, pairs[-1][0].col)
    return pairs[0] if pairs else None


def _refuse_shared(node: Node, what: str) -> None:
    if not node.shared:
        return
    anchored = node.resolved()
    uses = anchored.uses
    if node.kind == "alias" and anchored is node:
        raise Refused(f"its {what} is the alias *{_alias_name(node)}, whose anchor is not defined before it",
                      node.line, node.col)
    others = sorted(({anchored.line} | {u.line for u in uses}) - {node.line})
    shown = ", ".join(map(str, others[:5])) + (" ..." if len(others) > 5 else "")
    verb = "are" if what == "annotations" else "is"
    how = f"the alias *{anchored.anchor}" if node.kind == "alias" else f"anchored as &{anchored.anchor}"
    raise Refused(f"its {what} {verb} {how}, shared with line{'s' if len(others) > 1 else ''} {shown}: setting "
                  f"runbook_url here would change {'them' if len(others) > 1 else 'that'} too; give this rule its own "
                  f"{what if what in ('annotations', 'runbook_url value') else 'text, without an anchor or alias'}",
                  node.line, node.col)


def _alias_name(node: Node) -> str:
    return node.anchor or "?"


def _merged_annotations(rule: Node) -> Node | None:
    """The merge key that brings in annotations, when the rule has no annotations of its own."""
    for key, value in rule.get("<<"):
        sources = value.resolved()
        candidates = sources.items if sources.kind == "seq" else [sources]
        for source in candidates:
            source = source.resolved()
            if source.kind == "map" and source.get(ANNOTATIONS):
                return key
    return None


def _replace(text: str, mapping: Node, old: Node, url: str) -> Splice:
    start = _value_start(text, old) if old.kind == "scalar" else old.start
    end = old.end
    style = old.style if old.kind == "scalar" else _sibling_style(mapping)
    tail = ""
    if style in ("|", ">"):  # a block: keep the line break and blank lines that end it
        body = text[start:end]
        tail = body[len(body.rstrip(" \t\r\n")):]
        style = _sibling_style(mapping, exclude=old)
    new = value_text(url, style, flow=_in_flow(mapping))
    if old.kind == "scalar" and start == end and not old.style:  # `runbook_url:` with nothing after the colon
        if style == "":
            new = value_text(url, _sibling_style(mapping, exclude=old), flow=_in_flow(mapping))
        new = ("" if start and text[start - 1] in " \t" else " ") + new
    return Splice(start, end, new + tail, old.first_event, 1, ((VALUE, url),))


def _value_start(text: str, node: Node) -> int:
    """Where a scalar's own text starts, after its tag and anchor (which are kept)."""
    at = node.start
    while at < node.end and text[at] in "!&":
        while at < node.end and text[at] not in " \t\r\n":
            at += 1
        while at < node.end and text[at] in " \t\r\n":
            at += 1
    return at


def _insert(text: str, mapping: Node, key: str, url: str, *, nested: bool,
            neighbours: Node | None = None) -> list[Splice]:
    """Add ``key`` (with ``runbook_url: url`` under it when ``nested``) to ``mapping``: last, else first.

    An empty mapping takes its quoting from ``neighbours`` (the rule around it), so ``{}`` in JSON gets JSON.
    """
    styled = mapping if mapping.pairs or neighbours is None else neighbours
    inner_style = _sibling_style(styled)
    added = ((VALUE, key), OPEN, (VALUE, KEY), (VALUE, url), CLOSE) if nested else ((VALUE, key), (VALUE, url))
    quote = _key_quote(styled)
    if mapping.flow:
        colon = _colon(text, mapping)
        value = (f"{{{key_text(KEY, quote)}{colon}{value_text(url, inner_style, flow=True)}}}" if nested
                 else value_text(url, inner_style, flow=True))
        entry = key_text(key, quote) + colon + value
        if not mapping.pairs:
            close = text.rindex("}", mapping.start, mapping.end)
            return [Splice(close, close, entry, mapping.last_event, 0, added)]
        at = _content_end(text, *mapping.pairs[-1])
        return [Splice(at, at, _flow_separator(text, mapping) + entry, mapping.last_event, 0, added)]
    first_key = mapping.pairs[0][0]
    at, newline = _line_end(text, _content_end(text, *mapping.pairs[-1]))
    line = " " * (first_key.col - 1) + key_text(key, quote) + ":"
    if nested:
        inner = " " * (first_key.col - 1 + _step(mapping))
        line += newline + inner + key_text(KEY, quote) + ": " + value_text(url, inner_style, flow=False)
    else:
        line += " " + value_text(url, inner_style, flow=False)
    candidates = []
    last = mapping.pairs[-1][1]
    if last.kind == "scalar" and last.style in ("|", ">") and "+" in text[last.start:text.find("\n", last.start)]:
        # a kept block's trailing blank lines are its value: go after them
        candidates.append(Splice(last.end, last.end, line + newline, mapping.last_event, 0, added))
    else:
        candidates.append(Splice(at, at, newline + line, mapping.last_event, 0, added))
    line_start = text.rfind("\n", 0, first_key.start) + 1
    if not text[line_start:first_key.start].strip():  # first in the mapping, before its first key's line
        candidates.append(Splice(line_start, line_start, line + newline, mapping.first_event + 1, 0, added))
    return candidates


def _fill_null(text: str, rule: Node, key_node: Node, value: Node, url: str) -> Splice:
    """``annotations:`` with nothing (or ``~``) after it."""
    added = (OPEN, (VALUE, KEY), (VALUE, url), CLOSE)
    style = _sibling_style(rule)
    quote = _key_quote(rule)
    entry = "{" + key_text(KEY, quote) + ": " + value_text(url, style, flow=True) + "}"
    if value.start != value.end:  # ~ or null: a flow mapping in its place
        return Splice(value.start, value.end, entry, value.first_event, 1, added)
    if rule.flow:
        colon = text.index(":", key_node.end)
        return Splice(colon + 1, colon + 1, " " + entry, value.first_event, 1, added)
    at, newline = _line_end(text, key_node.end)
    inner = " " * (key_node.col - 1 + _step(rule))
    entry = newline + inner + key_text(KEY, quote) + ": " + value_text(url, style, flow=False)
    return Splice(at, at, entry, value.first_event, 1, added)


def _content_end(text: str, key: Node, value: Node) -> int:
    """Where the written content of a mapping entry ends (trailing blank lines of a block left out)."""
    while value.kind in ("map", "seq") and not value.flow and (value.pairs or value.items):
        key, value = value.pairs[-1] if value.kind == "map" else (value, value.items[-1])
    if value.kind == "scalar" and value.start == value.end:
        return key.end
    if value.kind == "scalar" and value.style in ("|", ">"):
        return value.start + len(text[value.start:value.end].rstrip(" \t\r\n"))
    return value.end


def _line_end(text: str, at: int) -> tuple[int, str]:
    """The end of the line holding offset ``at`` (before its line break), and that line break."""
    if "\n" not in text and "\r" in text:  # a file with old Mac line ends: a bare CR ends each line
        found = text.find("\r", at)
        return (len(text) if found == -1 else found), "\r"
    found = text.find("\n", at)
    if found == -1:
        previous = text.rfind("\n", 0, at)
        return len(text), "\r\n" if previous > 0 and text[previous - 1] == "\r" else "\n"
    if found > 0 and text[found - 1] == "\r":
        return found - 1, "\r\n"
    return found, "\n"


def _flow_separator(text: str, mapping: Node) -> str:
    """What goes between two entries of a ``{...}`` mapping, copied from the last two."""
    if len(mapping.pairs) >= 2:
        between = text[_content_end(text, *mapping.pairs[-2]):mapping.pairs[-1][0].start]
        if between.count(",") == 1 and not between.replace(",", "").strip():
            return between
    first = mapping.pairs[0][0]
    if first.line == mapping.line:
        return ", "
    newline = "\r\n" if "\r\n" in text[mapping.start:first.start] else "\n"
    return "," + newline + " " * (first.col - 1)


def _colon(text: str, mapping: Node) -> str:
    """``: `` as the mapping's last entry writes it (``":"`` in compact JSON)."""
    if mapping.pairs:
        key, value = mapping.pairs[-1]
        between = text[key.end:value.start]
        if between.strip() == ":" and "\n" not in between:
            return between.lstrip(" \t") if between.lstrip(" \t") else ": "
    return ": "


def _step(mapping: Node) -> int:
    """How far a nested block mapping is indented past its key, from the mapping's own nested mappings."""
    for key, value in mapping.pairs:
        if value.kind == "map" and not value.flow and value.pairs and value.pairs[0][0].line > key.line:
            step = value.pairs[0][0].col - key.col
            if step > 0:
                return step
    return 2


def _key_quote(mapping: Node) -> str:
    styles = [k.style for k, _ in mapping.pairs if k.kind == "scalar"]
    return max(("", "'", '"'), key=lambda s: (styles.count(s), s == "")) if styles else ""


def _sibling_style(mapping: Node, exclude: Node | None = None) -> str:
    """The quoting most of the mapping's text values use: '' (plain), "'" or '"'."""
    styles = [v.style for _, v in mapping.pairs if v.kind == "scalar" and v is not exclude and v.start != v.end
              and v.style in ("", "'", '"')]
    return max(("", "'", '"'), key=lambda s: (styles.count(s), s == "")) if styles else ""


def _in_flow(mapping: Node) -> bool:
    return mapping.flow
