"""The ``runbook_url`` each alert's rules should carry, for annotate and export-rules.

The URL itself comes from ``runbookgen.addresses.runbook_url``, the one place that
decides page addresses; this module only finds its inputs: ``site_url`` and the
page style from mkdocs.yml, and the inventory's ``lint.runbook_url`` pattern. It
reads the same mkdocs.yml that lint does (the one beside the inventory unless
another is named), so that the URLs written here are the ones lint expects.
"""

from __future__ import annotations

import functools
from typing import Callable

from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.project import resolve_site
from runbookgen.addresses import UrlPattern, runbook_url

NO_SITE_URL = ("cannot tell where the runbook pages are published: set site_url in {config} (the address of "
               "the built site), or a lint.runbook_url pattern in the inventory")


def runbook_url_maker(inventory: Inventory, config_path: str | None) -> Callable[[str], str]:
    """A function from alert name to its runbook URL; InputError when no absolute URL can be made."""
    site = resolve_site(inventory.path, config_path)
    site_url, html_pages, shown = site.site_url, site.html_pages, site.shown
    # load_inventory has refused a pattern UrlPattern cannot parse, and a parsed one always fills in
    pattern = UrlPattern.parse(inventory.lint.runbook_url) if inventory.lint.runbook_url else None
    if not site_url and (pattern is None or pattern.uses("site_url")):
        where = inventory.lint.pos if pattern and inventory.lint.pos else Position(shown, 1, 1)
        raise InputError([Problem(where, NO_SITE_URL.format(config=shown))])
    return functools.partial(_url, site_url=site_url, html_pages=html_pages, pattern=pattern or "")


def _url(name: str, *, site_url: str, html_pages: bool, pattern: UrlPattern | str) -> str:
    return runbook_url(name, site_url=site_url, html_pages=html_pages, pattern=pattern)
