"""What the rest of runbookgen reads of the user's mkdocs.yml without running the engine: the site's address.

``lint``, ``annotate`` and ``import`` need ``site_url`` (and whether pages end in ``.html``) to know each alert's
page address. A plain mkdocs.yml (no tags such as ``!ENV``, no ``INHERIT``) is read here with runbookgen's own
YAML reader, as mkdocs' loader (PyYAML's safe loader) reads it, without importing mkdocs: importing it costs
a command that never builds about a tenth of its start-up. Anything else, and any file this reader refuses, is
read by mkdocs' own loader (``material.read_user_config``), which also words its errors.
"""

from __future__ import annotations

import os

from runbookgen.problems import Problem

PLAIN_CONFIG_LIMIT = 1 << 20  # a larger mkdocs.yml is left to mkdocs' loader


class SiteError(Exception):
    """The site engine refused the configuration or failed to build; carries problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def as_dict_list(entries) -> dict:
    """mkdocs accepts ``[name, {name: config}]``; normalise to an ordered {name: config}."""
    result: dict = {}
    for entry in entries or []:
        if isinstance(entry, str):
            result[entry] = {}
        elif isinstance(entry, dict):
            for name, config in entry.items():
                result[name] = config or {}
    return result


def default_config(site_name: str) -> dict:
    """The configuration used when there is no mkdocs.yml: offline-friendly, light and dark."""
    return {
        "site_name": site_name,
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "offline"],
    }


def plain_config(path: str) -> dict | None:
    """``path`` read as mkdocs would when it is one plain YAML mapping in UTF-8; None when mkdocs must read it."""
    from runbookgen.yamlread.build import read_documents
    from runbookgen.yamlread.events import YamlError

    try:
        with open(path, "rb") as handle:
            data = handle.read(PLAIN_CONFIG_LIMIT + 1)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(data) > PLAIN_CONFIG_LIMIT or "!" in text or text.startswith("\ufeff"):
        return None  # tags (!ENV, !relative, !!python/name) are mkdocs' own; a byte-order mark, its reader's
    try:
        documents = read_documents(text, path, typed=True)
    except (YamlError, RecursionError):
        return None
    if len(documents) != 1 or documents[0].problems or not isinstance(documents[0].data, dict):
        return None
    raw = documents[0].data
    return None if "INHERIT" in raw else raw


def site_url_of(config_path: str | None) -> tuple[str, bool]:
    """The configured ``site_url`` and whether pages end in ``.html`` (directory URLs off)."""
    if config_path and os.path.isfile(config_path):
        raw = plain_config(config_path)
        if raw is None:
            from runbookgen.engine.material import read_user_config

            raw = read_user_config(config_path)
    else:
        raw = default_config("")
    html_pages = not raw.get("use_directory_urls", True) or "offline" in as_dict_list(raw.get("plugins"))
    return str(raw.get("site_url") or ""), html_pages
