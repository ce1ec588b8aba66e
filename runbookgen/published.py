"""Where an inventory's site is published: its ``site_url`` and page style, from mkdocs.yml.

lint (which URLs to expect) and annotate/export-rules (which URLs to write) must read
the same configuration: the mkdocs.yml beside the inventory, unless another is named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem


@dataclass(frozen=True)
class Published:
    site_url: str
    html_pages: bool
    config_shown: str  # how to name the configuration in messages


def published_site(inventory: Inventory, config_path: str | None) -> Published:
    """InputError when a named configuration is missing or unreadable."""
    from runbookgen.site import SiteError, site_url_of

    if config_path is None:
        beside = os.path.join(inventory.base_dir, "mkdocs.yml")
        config_path = beside if os.path.isfile(beside) else None
        shown = os.path.relpath(beside) if config_path else "mkdocs.yml"
    elif not os.path.isfile(config_path):
        raise InputError([Problem(Position(config_path, 1, 1), "mkdocs configuration file not found")])
    else:
        shown = config_path
    try:
        site_url, html_pages = site_url_of(config_path)
    except SiteError as err:
        raise InputError(err.problems) from None
    return Published(site_url, html_pages, shown)
