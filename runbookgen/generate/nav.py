"""The site navigation (mkdocs ``nav``), built from the inventory."""

from __future__ import annotations

from runbookgen.generate.render import Context, alert_page_path, severity_page_path
from runbookgen.inventory.model import Inventory


def navigation(inventory: Inventory) -> list:
    """mkdocs ``nav``: alerts grouped by severity, so no page carries the whole alert list."""
    ctx = Context(inventory)
    alerts_nav: list = ["alerts/index.md"]
    for severity in inventory.severities:
        members = ctx.alerts_of(severity.id)
        if members:
            section = [severity_page_path(severity.id)] + [{a.name: alert_page_path(a)} for a in members]
            alerts_nav.append({f"{severity.title} ({len(members)})": section})
    return [
        {"Home": "index.md"},
        {"Alerts": alerts_nav},
        {"Severity levels": "severities/index.md"},
        {"Health checks": "health-checks.md"},
        {"Procedures": "procedures.md"},
        {"Escalation": "escalation.md"},
        {"Incident report": "incident-report.md"},
    ]
