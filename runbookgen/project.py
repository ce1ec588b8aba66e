"""The first stage: the command line's arguments resolved, once, into the project every command works on.

Every command (validate, build, serve, lint, annotate, import, export-rules, incident)
starts here, so they all see the same inputs the same way:

- **the inventory**: the file given with ``--inventory`` (default ``runbooks.yaml``), loaded by
  the one loader (``runbookgen.inventory``), which also records every file it read;
- **the site configuration**: ``--config`` when given (it must exist), else the ``mkdocs.yml``
  beside the inventory, else built-in defaults. The same rule for every command, so the
  ``runbook_url`` that ``annotate`` writes is the address ``build`` writes the page at;
- **the published site**: ``site_url`` and the page-address style (``.html`` pages or
  directory URLs), read from that configuration;
- **the rule files**: the ``--rules`` given on the command line, else the inventory's ``lint.rules``.

Resolving is cheap (no inventory is loaded until a command asks for it), and a problem
with any of it is an ``InputError`` with a position, reported before any work starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from runbookgen.clock import source_date_epoch
from runbookgen.problems import InputError, Position, Problem, display_path

CONFIG_NAME = "mkdocs.yml"


@dataclass(frozen=True)
class SiteConfig:
    """The site configuration every command uses, and what it says about page addresses."""

    path: str | None  # the mkdocs.yml in use; None: built-in defaults
    shown: str  # how messages name it
    site_url: str
    html_pages: bool  # pages are alerts/<slug>.html (True) or alerts/<slug>/ (directory URLs)


@dataclass(frozen=True)
class Project:
    inventory_path: str
    site: SiteConfig
    rules: tuple[str, ...] = ()  # rule files given on the command line; () means the inventory's lint.rules

    @property
    def base_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.inventory_path))

    def load_inventory(self):
        """The inventory, loaded and checked by the one loader; InputError with every problem found."""
        from runbookgen.inventory import load_inventory

        return load_inventory(self.inventory_path)


def config_path_for(inventory_path: str, config: str | None) -> str | None:
    """The one rule: ``--config`` when given, else mkdocs.yml beside the inventory, else None (defaults)."""
    if config is not None:
        if not os.path.exists(config):
            raise InputError([Problem(Position(config, 1, 1), "mkdocs configuration file not found")])
        if not os.path.isfile(config):
            raise InputError([Problem(Position(config, 1, 1), "mkdocs configuration is not a regular file")])
        return config
    beside = display_path(os.path.join(os.path.dirname(os.path.abspath(inventory_path)), CONFIG_NAME))
    return beside if os.path.isfile(beside) else None


def resolve_site(inventory_path: str, config: str | None = None) -> SiteConfig:
    path = config_path_for(inventory_path, config)
    from runbookgen.engine import SiteError, site_url_of

    try:
        site_url, html_pages = site_url_of(path)
    except SiteError as err:
        raise InputError(err.problems) from None
    shown = path or CONFIG_NAME
    return SiteConfig(path, shown, site_url, html_pages)


def resolve_project(inventory_path: str, *, config: str | None = None, rules: tuple[str, ...] = ()) -> Project:
    """Resolve the command line into a Project; InputError when the environment or configuration is unusable."""
    source_date_epoch()  # a malformed SOURCE_DATE_EPOCH is reported now, not as a crash in the site engine
    return Project(inventory_path, resolve_site(inventory_path, config), tuple(rules))
