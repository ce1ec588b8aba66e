"""Load an inventory again after an edit, reading again only the alerts whose text changed (``serve``).

``serve`` loads the inventory on every save, and one save changes one alert or two: loading, checking and
modelling 10,000 alerts again for it took most of a rebuild. ``InventoryReloader`` keeps the last inventory
it loaded cleanly, with the text of its file cut into one block of lines per alert (``alert_blocks.py``).
When the new text differs from that one only inside the blocks of some alerts, and every included file and
include glob is as it was, only those blocks are read again: the lines outside the alerts list, followed by
the changed blocks (so they are read and checked in the file's own context, datasources and all), through
the one loader, schema and model. Their positions are moved to where the blocks stand in the file, the
alerts after them moved by the lines the edit added or removed, and the cross-checks run on the new
inventory with the unchanged alerts standing in by name (an unchanged alert's own checks cannot change while
no alert name changed; when one did, every alert is cross-checked).

Anything else loads the whole inventory: the first load, a change outside the alerts, in an included file
or in what a glob matches, a cut that a full load did not confirm, and any problem at all (the full load
then reports every problem, worded and placed as it always is). tests/inventory/test_incremental.py
compares the result with a full load after many random edits.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import Counter

from runbookgen.digests import text_digest
from runbookgen.inventory import load_inventory, read_inventory
from runbookgen.inventory.alert_blocks import AlertBlocks, alert_blocks
from runbookgen.inventory.load import include_matches
from runbookgen.inventory.model import Alert, Inventory, build_inventory
from runbookgen.inventory.moved import moved
from runbookgen.inventory.semantic import semantic_problems
from runbookgen.inventory.validate import schema_problems_and_paths
from runbookgen.problems import InputError, Position, display_path
from runbookgen.yamlread.files import read_text, source_digest


@dataclasses.dataclass(frozen=True)
class _Loaded:
    inventory: Inventory
    blocks: AlertBlocks
    shown: str  # how positions name the file


class InventoryReloader:
    """``load()`` gives what ``load_inventory(path)`` would, reading again only what changed since the last."""

    def __init__(self, path: str):
        self.path = path
        self._last: _Loaded | None = None
        self.spliced = 0  # loads that read only changed alerts (for tests and the bench)

    def load(self) -> Inventory:
        try:
            text = read_text(self.path)
        except InputError:
            text = None
        if text is not None and self._last is not None:
            try:
                found = _splice(self._last, text, self.path)
            except Exception:  # noqa: BLE001 - whatever stops the shortcut, the full load decides and reports
                found = None
            if found is not None:
                self._last = found
                self.spliced += 1
                return found.inventory
        inventory = load_inventory(self.path)  # raises with every problem; the last clean load stays
        self._last = _remember(inventory, text, self.path)
        return inventory


def _remember(inventory: Inventory, text: str | None, path: str) -> _Loaded | None:
    """The load and its cut, when the cut puts each alert of this file in a block of its own."""
    if text is None or dict(inventory.sources).get(os.path.abspath(path)) != text_digest(text):
        return None  # the file changed between the two readings
    blocks = alert_blocks(text)
    shown = display_path(path)
    if blocks is None or not _placed(inventory.alerts, [blocks.span(n) for n in range(len(blocks.starts))], shown):
        return None
    return _Loaded(inventory, blocks, shown)


def _placed(alerts: tuple[Alert, ...], spans: list[tuple[int, int]], shown: str) -> bool:
    """Whether the alerts of ``shown`` come first, one per span of lines, each starting in its own."""
    own = [a for a in alerts if a.pos.file == shown]
    if len(own) != len(spans) or alerts[:len(own)] != tuple(own):
        return False
    return all(start <= alert.pos.line < stop for alert, (start, stop) in zip(own, spans))


def _splice(last: _Loaded, text: str, path: str) -> _Loaded | None:
    old, new = last.blocks, alert_blocks(text)
    if new is None or new.outside() != old.outside() or not _includes_unchanged(last.inventory, path):
        return None
    count_old, count_new = len(old.starts), len(new.starts)
    same_first = 0
    while same_first < min(count_old, count_new) and old.block(same_first) == new.block(same_first):
        same_first += 1
    same_last = 0
    while (same_last < min(count_old, count_new) - same_first
           and old.block(count_old - 1 - same_last) == new.block(count_new - 1 - same_last)):
        same_last += 1
    changed = range(same_first, count_new - same_last)
    fresh = _read_blocks(last, new, changed, path) if changed else ()
    if fresh is None:
        return None
    alerts = last.inventory.alerts
    shift = (new.starts[changed.stop] if changed.stop < count_new else new.end) \
        - (old.starts[count_old - same_last] if same_last else old.end)
    after = tuple(moved(a, shift) for a in alerts[count_old - same_last:count_old]) if shift else \
        alerts[count_old - same_last:count_old]
    sources = tuple((p, text_digest(text) if p == os.path.abspath(path) else d) for p, d in last.inventory.sources)
    inventory = dataclasses.replace(last.inventory, alerts=alerts[:same_first] + fresh + after + alerts[count_old:],
                                    sources=sources)
    if not _checks_pass(last.inventory, inventory, fresh):
        return None
    return _Loaded(inventory, new, last.shown)


def _includes_unchanged(inventory: Inventory, path: str) -> bool:
    root = os.path.abspath(path)
    if any(source_digest(p) != digest for p, digest in inventory.sources if p != root):
        return False
    return all(tuple(os.path.abspath(m) for m in include_matches(base, pattern)) == tuple(matches)
               for base, pattern, matches in inventory.globs)


def _read_blocks(last: _Loaded, new: AlertBlocks, changed: range, path: str) -> tuple[Alert, ...] | None:
    """The alerts of the changed blocks, read after every line that is not an alert (so in the file's context,
    and at the end of the text: nothing a block leaves open can run into the lines after it)."""
    head = new.before + new.after
    head += ("\n" if head and not head.endswith("\n") else "") + new.header_line + "\n"
    first = head.count("\n") + 1  # the line the changed blocks start at in the excerpt
    with tempfile.TemporaryDirectory(prefix="runbookgen-alerts-") as folder:
        excerpt = os.path.join(folder, "excerpt.yaml")
        with open(excerpt, "w", encoding="utf-8") as handle:
            handle.write(head + new.blocks(changed.start, changed.stop))
        doc = read_inventory(excerpt)
        shown = doc.file
        if any(p.pos.file == shown and p.pos.line >= first - 1 for p in doc.problems):
            return None  # a problem of the changed alerts: the full load reports it
        if schema_problems_and_paths(doc)[0]:
            return None
        excerpt_inventory = build_inventory(doc, path)
    shift = new.starts[changed.start] + 1 - first
    spans = [(start - shift, stop - shift) for start, stop in map(new.span, changed)]
    if not _placed(excerpt_inventory.alerts, spans, shown):
        return None
    own = excerpt_inventory.alerts[:len(changed)]
    return tuple(moved(a, shift, (shown, last.shown)) for a in own)


def _checks_pass(before: Inventory, after: Inventory, fresh: tuple[Alert, ...]) -> bool:
    """The cross-checks of the new inventory find nothing. While every alert name is as it was, the unchanged
    alerts' own checks cannot have changed (they were clean): they stand in by name, severity and place, as
    objects the walk over the inventory's texts passes by. A check that wants more of them than that fails
    here, and the whole inventory is loaded."""
    if Counter(a.name for a in before.alerts) != Counter(a.name for a in after.alerts):
        return not semantic_problems(after)
    ids = {id(a) for a in fresh}
    probe = tuple(a if id(a) in ids else _stand_in(a) for a in after.alerts)
    try:
        return not semantic_problems(dataclasses.replace(after, alerts=probe))
    except Exception:  # noqa: BLE001 - a check that reads more of an alert than a stand-in has
        return False


class _StandIn:
    """An unchanged alert, as much of it as the cross-checks need to find it by name (not a dataclass: the
    search for links in the inventory's texts does not walk it)."""

    __slots__ = ("name", "severity", "pos", "slug")
    datasource = ""
    queries = investigation = causes = resolution = verification = related = ()
    mitigation = Alert.__dataclass_fields__["mitigation"].default
    positions: dict = {}

    def __init__(self, alert: Alert):
        self.name, self.severity, self.pos, self.slug = alert.name, alert.severity, alert.pos, alert.slug

    def where(self, *keys) -> Position:
        return self.pos


_STAND_INS: dict[tuple, _StandIn] = {}


def _stand_in(alert: Alert) -> _StandIn:
    key = (alert.name, alert.severity, alert.pos)
    found = _STAND_INS.get(key)
    if found is None:
        if len(_STAND_INS) > 200_000:
            _STAND_INS.clear()
        found = _STAND_INS[key] = _StandIn(alert)
    return found
