"""Pages a process rendered before, kept with the inputs they were rendered from (``serve`` builds again on every
save): a later build renders again only the pages whose inputs differ.

What each kind of page reads, for the built-in templates:

- an alert's page: the alert itself, the name, severity and summary of each alert it lists as related,
  and everything in the inventory that is not an alert (service, severities, procedures, datasources, lint
  settings...); its incident report: the same without the related alerts;
- every other page (the alert index, the severity pages, home, procedures, escalation, coverage...): the
  same non-alert part, and of every alert only what those pages list (``listed_fields``), plus the
  coverage facts;
- all of them: the templates, the site's address and page style, and the live results.

A ``templates/`` folder beside the inventory may replace any template with one that reads any part of the
inventory: then every page's input is the whole inventory, and a page is reused only when nothing changed.
Positions (file, line, column) are left out of the inputs: no page shows them (they only place problems,
and a page with a problem is never kept).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable

from runbookgen.inventory.model import Alert, Inventory

_POSITION = re.compile(r"Position\(file='(?:[^'\\]|\\.)*', line=\d+, col=\d+\)")
_NOT_READ = ("alerts", "sources", "globs", "duplicates")  # what loaded the inventory, not what it says
_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _text(value) -> str:
    """A value's repr without positions: equal for equal content wherever it stands in its file."""
    return _POSITION.sub("P", repr(value))


def listed_fields(alert: Alert) -> tuple:
    """What the pages that list alerts show or count of one alert (name, severity, summary, owner, tags,
    status, review date, its own escalation, and the procedures its steps follow)."""
    steps = (alert.investigation + alert.mitigation.immediate + alert.mitigation.short_term
             + alert.mitigation.long_term + alert.resolution + alert.verification)
    return (alert.name, alert.severity, alert.summary, alert.owner, alert.tags, alert.status, alert.last_reviewed,
            alert.escalation, alert.runbook_url, tuple(s.procedure for s in steps if s.procedure))


def _template_sources(base_dir: str | None) -> tuple[bytes, bool]:
    """(digest of every template a build may read, whether the user's folder holds any)."""
    digest = hashlib.sha256()
    user = os.path.join(base_dir, "templates") if base_dir else ""
    found_user = False
    for root in (_TEMPLATES, user):
        if not root or not os.path.isdir(root):
            continue
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError:
                    data = b"\0unreadable"
                found_user = found_user or root == user
                digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + data + b"\0")
    return digest.digest(), found_user


class PageInputs:
    """The digest of what each page of one build reads (see the module's docstring)."""

    def __init__(self, inventory: Inventory, *, site_url: str, html_pages: bool, live_marks=None,
                 known: dict[int, tuple[Alert, bytes, bytes]] | None = None):
        self._known = known if known is not None else {}
        templates, user_templates = _template_sources(inventory.base_dir)
        rest = [(f.name, getattr(inventory, f.name)) for f in dataclasses.fields(inventory) if f.name not in _NOT_READ]
        common = _text((rest, site_url, html_pages, sorted(live_marks.items()) if live_marks else None))
        self._common = _digest(common) + templates
        self._inventory = inventory
        self._whole = _digest(_text(inventory.alerts)) if user_templates else None
        self._listed = self._whole or hashlib.sha256(b"".join(self._digests(a)[1] for a in inventory.alerts)).digest()

    def _digests(self, alert: Alert) -> tuple[bytes, bytes]:
        """(digest of the alert, digest of its ``listed_fields``), worked out once per alert object: an alert
        that an edit did not touch is the very same object in the next build (inventory/incremental.py)."""
        found = self._known.get(id(alert))
        if found is None or found[0] is not alert:
            found = self._known[id(alert)] = (alert, _digest(_text(alert)), _digest(_text(listed_fields(alert))))
        return found[1], found[2]

    def _alert(self, alert: Alert) -> bytes:
        return self._digests(alert)[0]

    def alert_page(self, alert: Alert) -> bytes:
        if self._whole:
            return self._common + self._whole
        related = [(other.name, other.severity, other.summary) if other else None
                   for other in map(self._inventory.alert, alert.related)]
        return self._common + self._alert(alert) + (_digest(_text(related)) if related else b"")

    def incident_report(self, alert: Alert | None) -> bytes:
        if self._whole:
            return self._common + self._whole
        return self._common + (self._alert(alert) if alert is not None else b"")

    def listing(self, extra=None) -> bytes:
        return self._common + self._listed + (_digest(_text(extra)) if extra is not None else b"")


class KeptPages:
    """Rendered pages by (kind, path), each with the digest of its inputs.

    ``start`` and ``finish`` bracket one build: a build that finishes drops the pages it no longer has; one
    that fails keeps everything (what it rendered is right for its inputs all the same)."""

    def __init__(self):
        self._kept: dict[tuple[str, str], tuple[bytes, object]] = {}
        self._seen: set[tuple[str, str]] = set()
        self.rendered = 0  # pages rendered (not reused) since the last ``start``
        self._inputs: tuple | None = None
        self._digests: dict[int, tuple[Alert, bytes, bytes]] = {}  # by id() of the alert, which it holds

    def inputs(self, inventory: Inventory, *, site_url: str, html_pages: bool, live_marks=None) -> PageInputs:
        """The page inputs of this inventory (worked out once per build)."""
        args = (site_url, html_pages, live_marks)
        if self._inputs is None or self._inputs[0] is not inventory or self._inputs[1] != args:
            self._inputs = (inventory, args, PageInputs(inventory, site_url=site_url, html_pages=html_pages,
                                                         live_marks=live_marks, known=self._digests))
        return self._inputs[2]

    def start(self) -> None:
        self._seen = set()
        self.rendered = 0

    def finish(self) -> None:
        if self._inputs is not None:  # the digests of alerts the next build can still have
            alive = {id(a) for a in self._inputs[0].alerts}
            self._digests = {key: found for key, found in self._digests.items() if key in alive}
        self._inputs = None
        self._kept = {slot: kept for slot, kept in self._kept.items() if slot in self._seen}

    def put(self, kind: str, path: str, inputs: bytes, value) -> None:
        """Keep a page rendered elsewhere (a forked process) from these inputs."""
        self._seen.add((kind, path))
        self._kept[(kind, path)] = (inputs, value)

    def get(self, kind: str, path: str, inputs: bytes, render: Callable[[], object]):
        """The value kept for this page when its inputs are the same, else ``render()`` (then kept)."""
        slot = (kind, path)
        self._seen.add(slot)
        found = self._kept.get(slot)
        if found is not None and found[0] == inputs:
            return found[1]
        value = render()
        self.rendered += 1
        self._kept[slot] = (inputs, value)
        return value
