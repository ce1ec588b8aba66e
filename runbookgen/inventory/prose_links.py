"""Links in inventory prose that point nowhere in the site: found at ``validate`` time, with their position.

A link in prose whose target has no scheme names a page of the site by its
path from the site root (``procedures.md#restart``, ``alerts/diskfull.md``):
the same text is shown on pages at several depths, so a path relative to one
of them would be wrong on the others. The site renders it relative to each page
(``site/contentguard.py``); here each such target is checked against the pages
the inventory gives the site.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from functools import cache

from runbookgen import addresses
from runbookgen.content.links import site_path
from runbookgen.inventory.model import Inventory
from runbookgen.addresses import slugify
from runbookgen.problems import Position, Problem

_MAYBE_LINK = re.compile(r"\]\s*[(:\[]")


def site_pages(inv: Inventory) -> set[str]:
    """Every page and download the site built from ``inv`` has, by its path below the site root."""
    return addresses.site_pages(alerts=[a.name for a in inv.alerts], severities=[s.id for s in inv.severities],
                                procedures=[p.id for p in inv.procedures], coverage=bool(inv.lint.rules))


def dangling_prose_links(inv: Inventory) -> list[Problem]:
    pages = None
    problems = []
    seen: set[tuple] = set()
    for text, where in _texts_with_links(inv):
        for target in link_targets(text):
            path = _site_path(target)
            if path is None:
                continue
            pages = pages if pages is not None else site_pages(inv)
            if path not in pages and (where, target) not in seen:
                seen.add((where, target))
                problems.append(Problem(where, f"link to {target!r} points nowhere in the site (a link without "
                                               "http(s):// names a page by its path from the site root, like "
                                               f"procedures.md or alerts/{slugify(inv.alerts[0].name) if inv.alerts else 'name'}.md)"))
    return problems


def link_targets(text: str) -> list[str]:
    """The targets of the links CommonMark finds in ``text`` (inline, reference and in lists)."""
    found = []
    for token in _link_parser().parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrGet("href") or ""))
    return found


@cache
def _link_parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda _url: True  # every target, to check it
    md.normalizeLink = lambda url: url
    return md


def _site_path(target: str) -> str | None:
    """The page a scheme-less target names, normalised; None for URLs and bare anchors."""
    path = site_path(target)
    if not path:
        return None
    normal = posixpath.normpath(path)
    return normal if not normal.startswith("..") else "../"


def inventory_texts(inventory: Inventory):
    """(text, position) for every string in the inventory, each with the closest position known."""
    root = Position(inventory.path, 1, 1)
    stack = [(inventory, root)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield item, where
        elif isinstance(item, (tuple, list)) and not isinstance(item, Position):
            stack.extend((child, where) for child in reversed(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            own = getattr(item, "pos", None) or where
            at = getattr(item, "where", None)
            for field in reversed(dataclasses.fields(item)):
                if field.name in ("pos", "positions") or field.name.endswith("_positions"):
                    continue
                child = getattr(item, field.name)
                here = at(field.name) if callable(at) and isinstance(child, str) else own
                stack.append((child, here if isinstance(here, Position) else own))


def _texts_with_links(inventory: Inventory) -> list[tuple[str, Position]]:
    """``inventory_texts``, only for the texts that may hold a link, in the same order and at the same
    positions: the position of the others (most of them) is never looked up. Each object's fields are
    read from its ``__dict__`` (a dataclass's fields, in their order) rather than one ``getattr`` each."""
    found: list = []
    _collect(inventory, Position(inventory.path, 1, 1), found)
    return found


def _collect(item, where: Position, found: list) -> None:
    own = getattr(item, "pos", None) or where
    at = getattr(item, "where", None)
    walked = _walked_fields(type(item))
    for name, child in item.__dict__.items():
        if name not in walked:
            continue
        if isinstance(child, str):
            if "]" in child and _MAYBE_LINK.search(child):
                here = at(name) if callable(at) else own
                found.append((child, here if isinstance(here, Position) else own))
        elif isinstance(child, (tuple, list)):
            if not isinstance(child, Position):
                _collect_sequence(child, own, found)
        elif _walked_fields(type(child)):
            _collect(child, own, found)


def _collect_sequence(items, where: Position, found: list) -> None:
    for child in items:
        if isinstance(child, str):
            if "]" in child and _MAYBE_LINK.search(child):
                found.append((child, where))
        elif isinstance(child, (tuple, list)):
            if not isinstance(child, Position):
                _collect_sequence(child, where, found)
        elif _walked_fields(type(child)):
            _collect(child, where, found)


@cache
def _walked_fields(cls) -> frozenset[str]:
    """The fields ``inventory_texts`` walks in a model object (none for anything else)."""
    if not dataclasses.is_dataclass(cls):
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(cls)
                     if f.name not in ("pos", "positions") and not f.name.endswith("_positions"))
