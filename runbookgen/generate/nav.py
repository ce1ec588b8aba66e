"""The site navigation (mkdocs ``nav``), built from the inventory.

Every page renders the navigation (mkdocs-material's ``navigation.prune``
collapses the sections it is not in), so the navigation lists pages a reader
picks from, not alerts: under Alerts, the alert index (every alert, with
filters by severity, owner and tag) and one page per severity (its alerts, with
owner and summary). An alert page is found there, in search, and from the rule's
``runbook_url``; it carries its title in its front matter, so it needs no
navigation entry. A page then weighs the same at 10 or 10,000 alerts.

Page addresses never depend on the navigation (``alerts/<slug>.html``), because
rule files link to them.

Titles are HTML-escaped: mkdocs-material renders navigation titles (and the
page titles they become) as HTML, and they come from inventory text.
"""

from __future__ import annotations

from markupsafe import escape

from runbookgen.generate.context import Context, procedure_page_path, severity_page_path
from runbookgen.inventory.model import Inventory


def navigation(inventory: Inventory, *, coverage: bool = False) -> list:
    """mkdocs ``nav``: every page in it has an explicit title, and its length does not grow with the alerts.

    Explicit titles matter for incremental builds too: a page that is not
    rebuilt must show the same title in the navigation of the pages that are.
    """
    ctx = Context(inventory)
    alerts_nav: list = [{"All alerts": "alerts/index.md"}]
    for severity in inventory.severities:
        members = ctx.alerts_of(severity.id)
        if members:
            alerts_nav.append({_text(f"{severity.title} alerts ({len(members)})"): severity_page_path(severity.id)})
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


def _text(title: str) -> str:
    return str(escape(title))
