"""Everything a build reads, as fingerprints: the tests that let a build skip work.

``input_fingerprint``, of the inputs, lets an unchanged build be skipped.

The fingerprint covers the inventory and every file it includes, the rule
files it lists (the coverage page), the ``templates/`` folder beside it, the mkdocs configuration (as loaded, so
``INHERIT`` and ``!ENV`` count) and the theme's ``custom_dir``, runbookgen's
own code, templates and assets, the versions of the site engine's packages,
and ``SOURCE_DATE_EPOCH``. It is computed without loading the inventory:
that is the point of it.

``structure_digest``, of what every page's HTML depends on besides its own
Markdown, and ``digests``, of each page, tell which pages an edit changed.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from importlib import metadata

import yaml

FORMAT = 1  # bump when the cache's layout or meaning changes
ENGINE_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "Jinja2",
                        "markdown-it-py", "nh3", "selectolax")
_PACKAGE_SUFFIXES = (".py", ".j2", ".json", ".css", ".js", ".lark")
_TOP_LEVEL = re.compile(r"^(?![ \t#]|-(?:[ \t]|$)|$)", re.MULTILINE)  # a line that starts the next key


def file_digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(folder: str) -> dict[str, str]:
    """Every file below ``folder`` (relative path -> digest); {} when there is no such folder."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = file_digest(path)
    return found


def top_level_value(text: str, key: str) -> tuple[bool, object]:
    """(whether the file has ``key`` at the top level, its value), read without parsing the whole file.

    Raises ValueError when the key is there but its value cannot be read this way.
    """
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    if not match:
        return False, None
    end = _TOP_LEVEL.search(text, match.end() + 1)
    fragment = text[match.start(): end.start() if end else len(text)]
    try:
        value = yaml.safe_load(fragment)
    except yaml.YAMLError:
        raise ValueError(key) from None
    if not isinstance(value, dict):
        raise ValueError(key)
    return True, value.get(key)


def include_patterns(text: str) -> list[str] | None:
    """The top-level ``include:`` globs of an inventory file (None: there, but not readable this way; then
    nothing is skipped: the build loads the inventory, and its loader decides)."""
    try:
        found, patterns = top_level_value(text, "include")
    except ValueError:
        return None
    if not found:
        return []
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        return None
    return patterns


def inventory_files(path: str) -> list[str] | None:
    """The inventory file and every file its ``include:`` globs reach, as the loader expands them (None: unknown)."""
    found: list[str] = []
    queue = [os.path.abspath(path)]
    while queue:
        current = queue.pop(0)
        if current in found:
            continue
        found.append(current)
        try:
            with open(current, encoding="utf-8") as handle:
                patterns = include_patterns(handle.read())
        except (OSError, UnicodeDecodeError):
            return None
        if patterns is None:
            return None
        base = os.path.dirname(current)
        for pattern in patterns:
            matches = sorted(glob.glob(os.path.join(base, pattern), recursive=True))
            if glob.has_magic(pattern):
                matches = [m for m in matches if not os.path.isdir(m)]
            queue += [os.path.abspath(m) for m in matches]
    return found


def rule_files(path: str) -> list[str] | None:
    """The rule files the inventory lists under ``lint: rules:``, as lint expands them (the site's coverage page
    is built from them); None when unknown."""
    from runbookgen.rules.paths import expand

    try:
        with open(path, encoding="utf-8") as handle:
            found, lint = top_level_value(handle.read(), "lint")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    patterns = lint.get("rules") if found and isinstance(lint, dict) else []
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns or []):
        return None
    base = os.path.dirname(os.path.abspath(path))
    return sorted({os.path.abspath(file) for pattern in patterns or [] for file, _ in expand(pattern, base)[0]})


def inventory_sources(inventory) -> set[str]:
    """The files the loaded inventory's entries came from (to check ``inventory_files`` missed none)."""
    items = [inventory.service, *inventory.alerts, *inventory.procedures, *inventory.health_checks, *inventory.slos]
    return {os.path.abspath(inventory.path)} | {os.path.abspath(i.pos.file) for i in items if getattr(i, "pos", None)}


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
    from runbookgen.site.mkdocs_engine import read_user_config

    if not config_path or not os.path.isfile(config_path):
        return "built-in defaults"
    raw = read_user_config(config_path)
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    custom_files = tree_digest(os.path.join(os.path.dirname(os.path.abspath(config_path)), custom)) if custom else {}
    return text_digest(json.dumps({"config": raw, "custom_dir": custom_files}, sort_keys=True, default=str))


def input_fingerprint(inventory_path: str, config_path: str | None, engine: str) -> tuple[str | None, list[str]]:
    """(fingerprint of every input, the inventory files it covers); the fingerprint is None when unknowable."""
    files, rules = inventory_files(inventory_path), rule_files(inventory_path)
    if files is None or rules is None:
        return None, []
    from runbookgen.site.mkdocs_engine import SiteError

    try:
        parts = {
            "engine": engine,
            "inventory": {path: file_digest(path) for path in files},
            "rules": {path: file_digest(path) for path in rules},
            "templates": tree_digest(os.path.join(os.path.dirname(os.path.abspath(inventory_path)), "templates")),
            "config": config_digest(config_path),
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        }
    except (OSError, SiteError):  # the build itself will say what is wrong
        return None, []
    return text_digest(json.dumps(parts, sort_keys=True)), files


def build_date() -> str:
    """The date the site engine writes into sitemap.xml (SOURCE_DATE_EPOCH's, or today's)."""
    from mkdocs.utils import get_build_date

    return get_build_date()


def digests(pages) -> dict[str, str]:
    """Each generated page's digest, by path."""
    return {p.path: text_digest(p.content) for p in pages}


def structure_digest(pages, nav: list, config_path: str | None, engine: str) -> str:
    """Everything a page's HTML depends on besides its own Markdown: while this stays the same, a page whose
    Markdown did not change keeps its HTML. The navigation, every page's front matter (the navigation shows
    some of it), the configuration and the engine."""
    front = {p.path: _front_matter(p.content) for p in pages}
    parts = {"nav": nav, "pages": front, "config": config_digest(config_path), "engine": engine}
    return text_digest(json.dumps(parts, sort_keys=True))


def _front_matter(markdown: str) -> str:
    """The text mkdocs reads page metadata from: a YAML block, or MultiMarkdown ``key: value`` lines."""
    from mkdocs.utils.meta import META_RE, YAML_RE

    match = YAML_RE.match(markdown)
    if match:
        return match.group(1)
    head = markdown.split("\n\n", 1)[0]
    return head if META_RE.match(head) else ""
