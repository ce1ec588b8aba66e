"""The site navigation (mkdocs ``nav``), built from the inventory.

Every page renders the navigation of its own section (mkdocs-material's
``navigation.prune`` collapses the others to one link each), so the size of a
page grows with the number of entries in the sections it sits in. To keep
pages small and the build linear at any inventory size, no section lists more
than ``MAX_ITEMS`` entries: alerts are grouped by severity, then by owner, then
into alphabetical ranges, as deep as needed.

Only the navigation is structured this way; page addresses never change
(``alerts/<slug>.html``), because rule files link to them.

Titles are HTML-escaped: mkdocs-material renders navigation titles (and the
page titles they become) as HTML, and they come from inventory text.
"""

from __future__ import annotations

from markupsafe import escape

from runbookgen.generate.context import Context, alert_page_path, procedure_page_path, severity_page_path
from runbookgen.inventory.model import Alert, Inventory

MAX_ITEMS = 30
"""The most entries (alerts or subsections) any navigation section lists."""


def navigation(inventory: Inventory, *, max_items: int = MAX_ITEMS, coverage: bool = False) -> list:
    """mkdocs ``nav``: every page has an explicit title, and no section lists more than ``max_items`` entries.

    Explicit titles matter for incremental builds too: a page that is not
    rebuilt must show the same title in the navigation of the pages that are.
    """
    ctx = Context(inventory)
    alerts_nav: list = [{"All alerts": "alerts/index.md"}]
    for severity in inventory.severities:
        members = ctx.alerts_of(severity.id)
        if members:
            section = [{_text(f"{severity.title} alerts"): severity_page_path(severity.id)}]
            section += _grouped(ctx, members, max_items)
            alerts_nav.append({_text(f"{severity.title} ({len(members)})"): section})
    return [
        {"Home": "index.md"},
        {"Alerts": alerts_nav},
        {"Severity levels": "severities/index.md"},
        {"Health checks": "health-checks.md"},
        {"Procedures": _procedures(inventory)},
        {"Escalation": "escalation.md"},
        {"Incident report": "incident-report.md"},
    ] + ([{"Coverage": "coverage.md"}] if coverage else [])


def _procedures(inventory: Inventory):
    """The procedures index, then each procedure (and checklist) by title; a site has a few dozen at most."""
    if not inventory.procedures:
        return "procedures.md"
    return [{"All procedures": "procedures.md"}] + [{_text(p.title): procedure_page_path(p.id)}
                                                    for p in inventory.procedures]


def _grouped(ctx: Context, alerts: list[Alert], max_items: int) -> list:
    """Alerts of one severity: listed when few, else by owner, each owner's alerts in alphabetical ranges."""
    if len(alerts) <= max_items:
        return _entries(alerts)
    by_owner: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_owner.setdefault(ctx.owner(alert) or "No owner", []).append(alert)
    if len(by_owner) == 1:
        return _ranges(_entries(alerts), [a.name for a in alerts], max_items)
    owners = sorted(by_owner, key=lambda o: (o.lower(), o))
    sections = [{_text(f"{owner} ({len(by_owner[owner])})"): _ranges(_entries(by_owner[owner]),
                                                              [a.name for a in by_owner[owner]], max_items)}
                for owner in owners]
    return _ranges(sections, owners, max_items)


def _entries(alerts: list[Alert]) -> list:
    return [{_text(a.name): alert_page_path(a)} for a in alerts]


def _ranges(items: list, names: list[str], max_items: int) -> list:
    """``items`` as they are when few, else in alphabetical ranges: leaves of up to ``max_items`` entries,
    grouped into a tree as flat and even as ``max_items`` allows.

    ``names`` (one per item, in order) label the ranges the way a dictionary's
    guide words do: ``KubeAP – KubeDa``, ``KubeDe – KubePe``.
    """
    if len(items) <= max_items:
        return items
    leaves = [(items[a:b], names[a], names[b - 1]) for a, b in _even(len(items), -(-len(items) // max_items))]
    return _tree(leaves, max_items)


def _tree(units: list[tuple[list, str, str]], max_items: int) -> list:
    """Sections over ``units`` (entries, first name, last name), at most ``max_items`` per level."""
    if len(units) <= max_items:
        return _labelled(units)
    depth = 1
    while max_items ** depth < len(units):
        depth += 1
    fanout = 2  # the smallest even fanout that reaches every unit in ``depth`` levels
    while fanout ** depth < len(units):
        fanout += 1
    groups = [units[a:b] for a, b in _even(len(units), fanout)]
    return _labelled([(_tree(group, max_items), group[0][1], group[-1][2]) for group in groups])


def _labelled(units: list[tuple[list, str, str]]) -> list:
    cuts = [_distinct_prefix(units[n][2], units[n + 1][1]) for n in range(len(units) - 1)]
    result = []
    for n, (entries, first, last) in enumerate(units):
        before = cuts[n - 1] if n > 0 else cuts[0]
        after = cuts[n] if n < len(cuts) else before
        if first[:before].lower() == last[:after].lower():  # "Kube – Kube" says nothing: tell the ends apart
            before = after = max(before, after, _distinct_prefix(first, last))
        result.append({_text(f"{first[:before]} – {last[:after]}"): entries})
    return result


def _even(total: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive slices of ``range(total)`` whose sizes differ by at most one."""
    bounds = [total * n // parts for n in range(parts + 1)]
    return [(bounds[n], bounds[n + 1]) for n in range(parts)]


def _text(title: str) -> str:
    return str(escape(title))


def _distinct_prefix(left: str, right: str) -> int:
    """How many characters tell ``left`` and ``right`` apart (ignoring case, as the ordering does)."""
    a, b = left.lower(), right.lower()
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return common + 1
