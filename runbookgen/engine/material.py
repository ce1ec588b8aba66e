"""Build the site with mkdocs and Material for MkDocs, from the user's mkdocs.yml.

The user's configuration is kept (theme palette, site_name, site_url, extra
plugins); runbookgen adds what its pages need: the navigation, the Markdown
extensions its templates use, its stylesheet and script, code copy buttons,
section pruning so that every page does not carry every alert, and a search
word separator that splits queries at PromQL and LogQL punctuation.

``build_site`` can build some pages only, in several processes, and hands back
what a later build needs to reuse the rest (see ``partial.py``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib import resources

from markupsafe import escape

from runbookgen.problems import Position, Problem
from runbookgen.engine.records import PageRecord, Progress, SiteBuild
from runbookgen.engine.site_config import SiteError, default_config
from runbookgen.engine.site_config import as_dict_list as _as_dict_list

ASSETS = ("runbookgen.css", "runbookgen.js", "iframe-worker-shim.js", "search-on-demand.js")
THEME_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets", "theme")
"""Theme files of runbookgen's own, between the user's custom_dir and the theme: the icons every page carries
(drawn by runbookgen.css) and a lighter table-of-contents entry."""
PAGE_LOCAL_PLUGINS = frozenset({"search", "material/search", "offline", "material/offline"})
"""Plugins that handle every page on its own, so pages can be built apart (see partial.py)."""
SEARCH_SEPARATOR = r'[\s\-{}()\[\],=~!"|`]+|(?!\b)(?=[A-Z][a-z])'
"""Where search splits words: also at PromQL and LogQL punctuation, so a metric or label name is a word, and
inside CamelCase names, so "RedisDown" finds CheckoutRedisDown."""
REQUIRED_FEATURES = (
    "content.code.copy", "navigation.indexes", "navigation.prune", "navigation.top",
    "search.suggest", "search.highlight",
)


def _required_extensions() -> dict:
    from material.extensions import emoji

    return {
        "admonition": {},
        "attr_list": {},
        "md_in_html": {},
        "tables": {},
        "toc": {"permalink": True},
        "pymdownx.details": {},
        "pymdownx.superfences": {},
        "pymdownx.highlight": {"use_pygments": True, "pygments_lang_class": True, "line_spans": "__span"},
        "pymdownx.inlinehilite": {},
        "pymdownx.keys": {},
        "pymdownx.emoji": {"emoji_index": emoji.twemoji, "emoji_generator": emoji.to_svg},
    }


def read_user_config(path: str) -> dict:
    import yaml
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(path, "rb") as handle:
            raw = yaml_load(handle)
    except Exception as err:  # mkdocs raises several types here; each is the user's configuration problem
        syntax = err if isinstance(err, yaml.MarkedYAMLError) else err.__cause__ or err.__context__
        mark = (syntax.problem_mark or syntax.context_mark) if isinstance(syntax, yaml.MarkedYAMLError) else None
        if mark:  # one line, at the place the parser stopped
            what = " ".join(part for part in (syntax.context, syntax.problem) if part)
            where = Position(path, mark.line + 1, mark.column + 1)
        else:
            what, where = " ".join(str(err).split()), Position(path, 1, 1)
        raise SiteError([Problem(where, f"cannot read mkdocs configuration: {what}")]) from None
    if not isinstance(raw, dict):
        raise SiteError([Problem(Position(path, 1, 1), "mkdocs configuration must be a YAML mapping")])
    return raw


def _theme(raw_theme) -> dict:
    theme = {"name": raw_theme} if isinstance(raw_theme, str) else dict(raw_theme or {"name": "material"})
    theme.setdefault("name", "material")
    theme.setdefault("font", False)  # web fonts are fetched from the internet; the site must work offline
    features = list(theme.get("features") or [])
    features += [f for f in REQUIRED_FEATURES if f not in features]
    theme["features"] = features
    theme.setdefault("palette", [
        {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
         "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
         "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}},
    ])
    return theme


def _overrides(raw: dict, docs_dir: str, site_dir: str, nav: list) -> dict:
    extensions = _as_dict_list(raw.get("markdown_extensions"))
    for name, config in _required_extensions().items():
        extensions.setdefault(name, config)
    plugins = _as_dict_list(raw.get("plugins") or ["search"])
    for name in ("search", "material/search"):
        if name in plugins and "separator" not in plugins[name]:
            plugins[name] = {**plugins[name], "separator": SEARCH_SEPARATOR}
    extra = dict(raw.get("extra") or {})
    if "offline" in plugins:  # a local copy, so that offline search fetches nothing from the internet
        extra["polyfills"] = list(extra.get("polyfills") or []) + ["assets/runbookgen/iframe-worker-shim.js"]
    if {"search", "material/search"} & set(plugins):  # after the shim: it wraps the Worker the shim sets
        extra["polyfills"] = list(extra.get("polyfills") or []) + ["assets/runbookgen/search-on-demand.js"]
    return {
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "nav": nav,
        "theme": _theme(raw.get("theme")),
        "markdown_extensions": [{name: config} for name, config in extensions.items()],
        "plugins": [{name: config} for name, config in plugins.items()],
        "extra": extra,
        "extra_css": list(raw.get("extra_css") or []) + ["assets/runbookgen/runbookgen.css"],
        "extra_javascript": list(raw.get("extra_javascript") or []) + ["assets/runbookgen/runbookgen.js"],
        "strict": raw.get("strict", True),
    }


def content_guard():
    """runbookgen's plugin that puts inventory values into the pages and checks every page (contentguard.py)."""
    from runbookgen.engine.contentguard import ContentGuard

    return ContentGuard()


def search_entries():
    """runbookgen's plugin that makes the search index's entries small (search_entries.py)."""
    from runbookgen.engine.search_entries import CompactSearchEntries

    return CompactSearchEntries()


def error_page():
    """runbookgen's plugin that makes the 404 page work from disk and under any base path (errorpage.py)."""
    from runbookgen.engine.errorpage import ErrorPage

    return ErrorPage()


def refused_output(message: str):
    """The problems of a build that refused its own output, or None when the build failed otherwise."""
    from runbookgen.engine.contentguard import problem_list

    return problem_list(message)


def copy_assets(docs_dir: str) -> None:
    target = os.path.join(docs_dir, "assets", "runbookgen")
    os.makedirs(target, exist_ok=True)
    package = resources.files("runbookgen").joinpath("assets")
    for name in ASSETS:
        with open(os.path.join(target, name), "wb") as handle:
            handle.write(package.joinpath(name).read_bytes())


class WarningCollector(logging.Handler):
    """mkdocs' warnings of one build, kept to be reported as problems (a build, or serve's warm path)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def partial_builds_supported(config_path: str | None) -> bool:
    """Whether pages can be built apart (some reused, or shared between processes) with this configuration.

    Only with plugins known to treat every page on its own, no hooks (they may do
    anything), and no Markdown extension that reads files the build cache does
    not track (snippets).
    """
    raw = read_user_config(config_path) if config_path and os.path.isfile(config_path) else default_config("")
    plugins = set(_as_dict_list(raw.get("plugins") or ["search"]))
    extensions = set(_as_dict_list(raw.get("markdown_extensions")))
    return plugins <= PAGE_LOCAL_PLUGINS and not raw.get("hooks") and "pymdownx.snippets" not in extensions


class _HideDirtyWarning(logging.Filter):
    """runbookgen decides page by page what a "dirty" build renders; mkdocs' warning about it does not apply."""

    def filter(self, record):
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def build_site(docs_dir: str, site_dir: str, nav: list, *, config_path: str | None, site_name: str,
               reuse: dict[str, PageRecord] | None = None, jobs: int = 1, partial: bool = False,
               keep_templates: bool = False, progress: Progress | None = None, live: bool = False) -> SiteBuild:
    """Run mkdocs on ``docs_dir`` into ``site_dir``.

    ``site_dir`` should be a fresh folder, or, with ``reuse``, a copy of the previous
    site: the pages named in ``reuse`` keep their HTML there and their records.
    ``partial`` (see ``partial_builds_supported``) allows ``reuse`` and ``jobs`` > 1,
    and makes the result carry every page's record for the next build. ``keep_templates``
    leaves the copied site's 404.html and sitemap.xml as they are: the caller knows that the
    navigation, the configuration and the build date are those they were written with. ``live`` (with
    ``partial``): the result keeps the build in memory to render pages again (``engine/warm.py``).
    """
    from mkdocs import config as mkdocs_config
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build

    from runbookgen.engine.partial import CountPages, PartialBuild

    if not partial and reuse:
        raise ValueError("reusing pages needs a configuration that allows partial builds")
    copy_assets(docs_dir)
    scratch = None
    if config_path and os.path.isfile(config_path):
        raw = read_user_config(config_path)
        shown = config_path
    else:
        raw = default_config(str(escape(site_name)))
        scratch = tempfile.mkdtemp(prefix="runbookgen-config-")
        config_path = os.path.join(scratch, "mkdocs.yml")
        with open(config_path, "w", encoding="utf-8") as handle:
            handle.write("site_name: runbooks\n")  # replaced by the override below
        shown = "mkdocs.yml (built-in defaults)"
    raw.setdefault("site_name", str(escape(site_name)))  # Material renders site_name as HTML; ours is inventory text
    collector = WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    previous_level, previous_propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    hide = _HideDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(hide)
    plugin = (PartialBuild(reuse=reuse or {}, jobs=jobs, progress=progress, keep_templates=keep_templates)
              if partial else CountPages(progress))
    owner = os.getpid()
    try:
        overrides = _overrides(raw, os.path.abspath(docs_dir), os.path.abspath(site_dir), nav)
        overrides["site_name"] = raw["site_name"]
        overrides["use_directory_urls"] = raw.get("use_directory_urls", True)
        cfg = mkdocs_config.load_config(config_file=config_path, **overrides)
        cfg.theme.dirs.insert(1 if cfg.theme.custom_dir else 0, THEME_DIR)  # after the user's own overrides
        cfg.plugins["runbookgen"] = plugin
        cfg.plugins["runbookgen/contentguard"] = content_guard()
        cfg.plugins["runbookgen/errorpage"] = error_page()
        cfg.plugins["runbookgen/search"] = search_entries()
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(cfg, dirty=partial)
        finally:
            if os.getpid() != owner:  # a worker that did not finish normally must never return into the caller
                os._exit(1)
            cfg.plugins.on_shutdown()
    except exceptions.MkDocsException as err:
        refused = [p for m in collector.messages + [str(err)] for p in refused_output(m) or ()]
        if refused:
            raise SiteError(list({str(p): p for p in refused}.values())) from None
        details = [m for m in collector.messages if m] or [str(err)]
        raise SiteError([Problem(Position(shown, 1, 1), f"site build failed: {m}") for m in details]) from None
    except (OSError, ValueError) as err:
        raise SiteError([Problem(Position(shown, 1, 1), f"site build failed: {err}")]) from None
    finally:
        if isinstance(plugin, PartialBuild):
            plugin.close()
        logging.getLogger("mkdocs.commands.build").removeFilter(hide)
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
        logger.propagate = previous_propagate
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    if isinstance(plugin, PartialBuild):
        from runbookgen.engine.warm import LiveSite

        return SiteBuild(plugin.built, plugin.records, live=LiveSite(cfg, plugin) if live else None)
    return SiteBuild(plugin.done // 2)


def build_date() -> str:
    """The date the site engine writes into sitemap.xml (SOURCE_DATE_EPOCH's, or today's)."""
    from mkdocs.utils import get_build_date

    return get_build_date()


def front_matter(markdown: str) -> str:
    """The text mkdocs reads page metadata from: a YAML block, or MultiMarkdown ``key: value`` lines."""
    from mkdocs.utils.meta import META_RE, YAML_RE

    match = YAML_RE.match(markdown)
    if match:
        return match.group(1)
    head = markdown.split("\n\n", 1)[0]
    return head if META_RE.match(head) else ""
