"""A built site kept alive in memory (``serve``), so that an edit re-renders only the pages it changed.

After a full build, mkdocs's configuration, file list, navigation, template environment and plugins (with every
page's ``PageRecord``) stay in a ``LiveSite``. ``LiveSite.render`` then takes pages whose Markdown changed in the
docs folder and puts them through mkdocs's own page pipeline: the plugins' page events (the content guard's
checks among them), the theme's template, and the plugins' ``on_post_build`` (the search index, from every page's
record, and the offline copy of it). Everything is written into a scratch folder first and then moved into the
live site one file at a time (each replaced in one step), so a reader never sees half a page.

It is only right while nothing but those pages' bodies changed: the caller checks that the navigation, every
page's front matter, the configuration and the build date are those the site was built with
(``output/warm.py``). Any warning or error refuses the render (``WarmRefused``) and leaves the live site as it was;
the caller then builds the usual way.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

from runbookgen.engine.records import PageRecord


KNOWN_PLUGINS = frozenset({
    "material.plugins.search.plugin.SearchPlugin",  # its index is rebuilt from every page's record
    "material.plugins.offline.plugin.OfflinePlugin",  # copies the index after the build
    "runbookgen.engine.contentguard.ContentGuard",  # its state lives from one page's Markdown to its HTML
    "runbookgen.engine.errorpage.ErrorPage",  # acts on the theme's templates only
})
"""Plugins whose state is right for rendering some pages again after a build. Any other plugin must say how to
get ready for it, with a ``render_again(config, uris)`` method (called before the pages ``uris`` are rendered
again); a plugin that does neither (one that counts what earlier pages did, say) turns the warm path off."""


class WarmRefused(Exception):
    """The pages could not be rendered on their own; the site in place is untouched."""


class LiveSite:
    """mkdocs's state after a build (``build_site(..., live=True)``), able to render some pages again."""

    def __init__(self, config, plugin):
        self.config = config
        self.plugin = plugin  # partial.PartialBuild: files, navigation, environment, records
        self.refused = next((f"the plugin {type(p).__qualname__} may keep state from page to page"
                             for p in config.plugins.values() if not _ready(p)), None)  # None: it can render
        _release_bodies(plugin.files)

    @property
    def records(self) -> dict[str, PageRecord]:
        return self.plugin.records

    def render(self, uris: list[str], site_dir: str) -> int:
        """Render the documentation pages ``uris`` (read again from the docs folder) into ``site_dir``, and write
        again what the plugins write after a build (the search index). Returns the pages rendered."""
        from mkdocs.commands import build as mkdocs_build

        if self.refused:
            raise WarmRefused(self.refused)
        config, plugin = self.config, self.plugin
        files = plugin.files
        pages = [files.src_uris.get(uri) for uri in uris]
        if any(f is None or f.page is None or not f.is_documentation_page() for f in pages):
            raise WarmRefused("a page is not in the live site")
        scratch = tempfile.mkdtemp(prefix=".warm-", dir=os.path.dirname(os.path.abspath(site_dir)))
        logger = logging.getLogger("mkdocs")
        from runbookgen.engine.material import WarningCollector

        warnings = WarningCollector()
        previous = (logger.level, logger.propagate, config["site_dir"])
        logger.addHandler(warnings)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        try:
            config["site_dir"] = scratch
            _ready_plugins(config, uris)
            doc_files = files.documentation_pages()
            for file in pages:
                file.abs_dest_path = os.path.normpath(os.path.join(scratch, file.dest_uri))
                mkdocs_build._populate_page(file.page, config, files)
            for file in pages:
                mkdocs_build._build_page(file.page, config, doc_files, plugin.nav, plugin.env)
            config.plugins.on_post_build(config=config)
            if warnings.messages:
                raise WarmRefused("; ".join(warnings.messages))
            _move_into(scratch, site_dir)
        except WarmRefused:
            raise
        except Exception as err:  # noqa: BLE001 - any failure: the caller builds the usual way, which reports it
            raise WarmRefused(f"{type(err).__name__}: {err}") from err
        finally:
            for file in pages:
                file.abs_dest_path = os.path.normpath(os.path.join(site_dir, file.dest_uri))
            _release_bodies([f for f in pages if f.page is not None])
            logger.removeHandler(warnings)
            logger.setLevel(previous[0])
            logger.propagate = previous[1]
            config["site_dir"] = previous[2]
            shutil.rmtree(scratch, ignore_errors=True)
        return len(pages)


def _ready(plugin) -> bool:
    return (callable(getattr(plugin, "render_again", None))
            or f"{type(plugin).__module__}.{type(plugin).__qualname__}" in KNOWN_PLUGINS)


def _ready_plugins(config, uris: list[str]) -> None:
    """Let each plugin that says how get ready (every plugin is ready or says how: ``LiveSite.refused``)."""
    for each in config.plugins.values():
        if callable(getattr(each, "render_again", None)):
            each.render_again(config, uris)


def _release_bodies(files) -> None:
    """Drop what rendering left on each page (its Markdown and HTML): no other page's template reads them, and
    at 10,000 alerts they are hundreds of megabytes a serve would otherwise hold."""
    for file in files:
        page = getattr(file, "page", None)
        if page is not None and getattr(file, "is_documentation_page", lambda: False)():
            page.markdown = None
            page.content = None


def _move_into(scratch: str, site_dir: str) -> None:
    """Move every file of ``scratch`` to the same place in ``site_dir``, each in one step (``os.replace``)."""
    for root, _dirs, names in os.walk(scratch):
        relative = os.path.relpath(root, scratch)
        target = site_dir if relative == "." else os.path.join(site_dir, relative)
        os.makedirs(target, exist_ok=True)
        for name in names:
            os.replace(os.path.join(root, name), os.path.join(target, name))
