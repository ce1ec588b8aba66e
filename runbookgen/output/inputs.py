"""Everything a build reads, as fingerprints: the tests that let a build skip work.

``record_inputs`` notes what a build read; ``inputs_unchanged`` tells the next build, without
loading the inventory, whether any of it changed, so an unchanged build can be skipped.
The record covers the inventory and every file its loader read (whatever the
spelling of ``include:``), each include glob and what it matched, the rule files the
coverage page read and what their patterns match, the ``templates/`` folder beside
the inventory, the mkdocs configuration (as loaded, so ``INHERIT`` and ``!ENV`` count)
and the theme's ``custom_dir``, runbookgen's own code, templates and assets, the
versions of the site engine's packages, and ``SOURCE_DATE_EPOCH``.

``structure_digest``, of what every page's HTML depends on besides its own
Markdown, and ``digests``, of each page, tell which pages an edit changed.
"""

from __future__ import annotations

import json
import os
from importlib import metadata

from runbookgen.digests import file_digest, text_digest

FORMAT = 1  # bump when the cache's layout or meaning changes
ENGINE_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "Jinja2",
                        "markdown-it-py", "nh3", "selectolax")
_PACKAGE_SUFFIXES = (".py", ".j2", ".json", ".css", ".js", ".lark", ".svg", ".html")


def tree_digest(folder: str) -> dict[str, str]:
    """Every file below ``folder`` (relative path -> digest); {} when there is no such folder."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = file_digest(path)
    return found


def engine_digest() -> str:
    """runbookgen's own code, templates and assets, and the site engine's package versions."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = {path: digest for path, digest in tree_digest(package).items() if path.endswith(_PACKAGE_SUFFIXES)}
    versions = {}
    for name in ENGINE_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return text_digest(json.dumps({"format": FORMAT, "files": files, "versions": versions}, sort_keys=True))


def config_digest(config_path: str | None) -> str:
    """The mkdocs configuration as mkdocs loads it, and the theme's custom_dir."""
    from runbookgen.engine import read_user_config

    if not config_path or not os.path.isfile(config_path):
        return "built-in defaults"
    raw = read_user_config(config_path)
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    custom_files = tree_digest(os.path.join(os.path.dirname(os.path.abspath(config_path)), custom)) if custom else {}
    return text_digest(json.dumps({"config": raw, "custom_dir": custom_files}, sort_keys=True, default=str))


def record_inputs(inventory, site, engine: str, rule_sources) -> dict:
    """What this build read, to tell the next build whether anything changed (``inputs_unchanged``).

    It is made from what the loaders actually read, not from a second reading of the inventory: the
    inventory loader's files and include globs, the rule files the coverage page read and the rule
    patterns, the configuration, the ``templates/`` folder, the engine, and SOURCE_DATE_EPOCH.
    """
    from runbookgen.rules.read import rule_files

    patterns = list(inventory.lint.rules)
    todo, unmatched = rule_files(patterns, inventory.base_dir) if patterns else ([], [])
    return {
        "inventory": os.path.abspath(inventory.path),
        "sources": dict(inventory.sources),
        "globs": [[base, pattern, list(matches)] for base, pattern, matches in inventory.globs],
        "rules": dict(rule_sources),
        "rule_patterns": [inventory.base_dir, patterns, _rule_list(todo, unmatched)],
        "templates": tree_digest(os.path.join(inventory.base_dir, "templates")),
        "config": config_digest(site.path),
        "engine": engine,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }


def inputs_unchanged(recorded, inventory_path: str, site, engine: str) -> bool:
    """True when every input ``record_inputs`` noted is still as it was; anything unreadable counts as changed."""
    from runbookgen.inventory.load import include_matches
    from runbookgen.pathglob import TooManyEntries
    from runbookgen.rules.read import rule_files
    from runbookgen.engine import SiteError
    from runbookgen.yamlread.files import source_digest

    try:
        if (recorded["inventory"] != os.path.abspath(inventory_path) or recorded["engine"] != engine
                or recorded["source_date_epoch"] != os.environ.get("SOURCE_DATE_EPOCH")):
            return False
        if any(source_digest(path) != digest for path, digest in recorded["sources"].items()):
            return False
        for base, pattern, matches in recorded["globs"]:
            if [os.path.abspath(m) for m in include_matches(base, pattern)] != matches:
                return False
        base, patterns, files = recorded["rule_patterns"]
        if patterns and _rule_list(*rule_files(patterns, base)) != files:
            return False
        for path, digest in recorded["rules"].items():
            if file_digest(path) != digest:
                return False
        return (recorded["templates"] == tree_digest(os.path.join(os.path.dirname(recorded["inventory"]),
                                                                  "templates"))
                and recorded["config"] == config_digest(site.path))
    except (OSError, KeyError, TypeError, ValueError, TooManyEntries, SiteError):
        return False


def _rule_list(todo, unmatched) -> list:
    return [sorted(os.path.abspath(entry[0]) for entry in todo), sorted(str(u) for u in unmatched)]


_KNOWN: dict[int, tuple[str, str]] = {}
"""Digests of page texts the last two calls of ``digests`` saw, by the text's identity (each entry holds its text,
so the identity is not reused while it is here): a rebuild in one process (``serve``) gets the very same text
objects for the pages it did not render again, and does not hash 30,000 pages at 10,000 alerts again."""
_RECENT: list[set[int]] = []


def digests(pages) -> dict[str, str]:
    """Each generated page's digest, by path."""
    found, seen = {}, set()
    for page in pages:
        text = page.content
        known = _KNOWN.get(id(text))
        if known is None or known[0] is not text:
            known = _KNOWN[id(text)] = (text, text_digest(text))
        seen.add(id(text))
        found[page.path] = known[1]
    _RECENT.append(seen)
    if len(_RECENT) > 2:
        for gone in _RECENT.pop(0) - _RECENT[0] - _RECENT[1]:
            _KNOWN.pop(gone, None)
    return found


def structure_digest(pages, nav: list, config_path: str | None, engine: str) -> str:
    """Everything a page's HTML depends on besides its own Markdown: while this stays the same, a page whose
    Markdown did not change keeps its HTML. The navigation, every page's front matter (the navigation shows
    some of it), the configuration and the engine."""
    from runbookgen.engine import front_matter

    front = {p.path: front_matter(p.content) for p in pages}
    parts = {"nav": nav, "pages": front, "config": config_digest(config_path), "engine": engine}
    return text_digest(json.dumps(parts, sort_keys=True))

