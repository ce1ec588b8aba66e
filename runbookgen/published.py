"""Where an inventory's site is published: now decided by ``runbookgen.project`` for every command."""

from __future__ import annotations

from runbookgen.project import SiteConfig, resolve_site


def published_site(inventory, config_path: str | None) -> SiteConfig:
    """The site configuration for ``inventory`` (see ``runbookgen.project`` for the one rule)."""
    return resolve_site(inventory.path, config_path)
