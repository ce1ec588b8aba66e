"""Build some of a site's pages, in one or several processes, and remember what later builds need.

``build_site`` adds ``PartialBuild`` to the user's mkdocs configuration. It

- builds only the pages not listed in ``reuse``: an incremental build copied
  the previous site into the staging folder, so those pages' HTML is already
  there, and their search index entries and anchors come from the previous
  build's ``PageRecord``;
- optionally shares the pages out between forked workers (``workers.py``);
- records every page's search index entries and the anchors it defines and
  links to, so that the search index and mkdocs' anchor check cover every page,
  whichever process or build rendered it; the records are kept for the next
  build.

mkdocs calls this a "dirty" build: it reads and renders only pages whose
``File.is_modified()`` is true. The plugin answers that per page, instead of
comparing file times.

Only plugins known to treat every page on its own may run beside it
(``mkdocs_engine.partial_builds_supported``): a plugin that gathers data
across pages (blog, tags) would see only some of them.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import meta as front_matter

from runbookgen.engine.records import PageRecord, Progress
from runbookgen.engine.search_entries import search_plugin
from runbookgen.engine.theme_files import keep_theme_listing
from runbookgen.processes import Crew, forking_allowed, share_out
from runbookgen.usercache import keep_compiled_templates

MIN_PAGES_PER_WORKER = 25


class CountPages(BasePlugin):
    """Progress of a build (each page counts twice: rendered from Markdown, written as HTML), and page titles."""

    def __init__(self, progress: Progress | None):
        super().__init__()
        self.progress = progress
        self.total = 0
        self.done = 0
        self.env = None  # the theme's template environment, as the build used it

    def on_config(self, config):
        keep_theme_listing(config.theme)  # listed once per process (engine/theme_files.py)
        return config

    @event_priority(-100)
    def on_nav(self, nav, *, config, files):
        self.total = 2 * len(files.documentation_pages())
        return nav

    def on_env(self, env, *, config, files):
        """The theme's templates, compiled once and kept: compiling Material's take 0.1 - 0.2 s per build."""
        if env.bytecode_cache is None:
            keep_compiled_templates(env)
        self.env = env
        return env

    @event_priority(-100)
    def on_page_markdown(self, markdown, *, page, config, files):
        _title_in_meta(page)
        return markdown

    @event_priority(-100)
    def on_page_content(self, html, *, page, config, files):
        self._tick()
        return html

    @event_priority(-100)
    def on_post_page(self, output, *, page, config):
        self._tick()
        return output

    def _tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


class PartialBuild(CountPages):
    """Build the pages not in ``reuse``, shared out between ``jobs`` processes; keep a record of every page."""

    def __init__(self, *, reuse: dict[str, PageRecord], jobs: int, progress: Progress | None,
                 keep_templates: bool = False):
        super().__init__(progress)
        self.reuse = reuse
        self.jobs = jobs
        self.keep_templates = keep_templates
        self.records: dict[str, PageRecord] = {}
        self.built = 0  # pages written by this build, all processes together
        self.crew: Crew | None = None
        self.files = None
        self.nav = None
        self._warm: set[str] | None = None  # pages rendered again after the build: anchor links checked to and from
        self._search_seen = 0
        self._warnings: list[tuple[int, str, str]] = []  # in a worker: what to log again in the parent

    @event_priority(-100)  # last: after any other plugin changed the navigation
    def on_nav(self, nav, *, config, files):
        self.files, self.nav = files, nav
        pages = files.documentation_pages()
        todo = {f.src_uri: f for f in pages if f.src_uri not in self.reuse}
        self.total = 2 * len(todo)
        count = max(1, min(self.jobs, len(todo) // MIN_PAGES_PER_WORKER)) if forking_allowed() else 1
        if count > 1 or len(todo) < len(pages):
            _read_front_matter(pages)  # pages render the others' meta (icon, status) in their navigation
        shares = share_out({uri: _size(f) for uri, f in todo.items()}, count)
        index = 0
        if count > 1:
            self.crew = Crew(count, tempfile.mkdtemp(prefix="runbookgen-workers-"))
            index = self.crew.start()
        if self.crew and self.crew.is_worker:
            self._capture_warnings()
        if (self.crew and self.crew.is_worker) or self.keep_templates:
            # 404.html and sitemap.xml: the parent writes them, or the site already has them as they would be
            config.theme.static_templates.clear()
            config["extra_templates"] = []
        mine = set(shares[index])
        for file in files:
            if file.is_documentation_page():
                file.is_modified = _answer(file.src_uri in mine)
            elif index:  # a worker: the parent copies static files (mkdocs copies those newer than their copy)
                file.is_modified = _answer(False)
        return nav

    @event_priority(-100)
    def on_page_content(self, html, *, page, config, files):
        record = self.records.setdefault(page.file.src_uri, PageRecord())
        anchors, links = page.present_anchor_ids, page.links_to_anchors
        record.anchors = sorted(anchors) if anchors is not None else None
        record.links = {target.src_uri: dict(found) for target, found in links.items()} if links is not None else None
        page.links_to_anchors = None  # checked for every page at once, in on_post_build
        self._tick()
        return html

    @event_priority(-100)  # after the search plugin indexed the page
    def on_page_context(self, context, *, page, config, nav):
        index = _search_index(config)
        if index is not None:
            self.records.setdefault(page.file.src_uri, PageRecord()).search = index.entries[self._search_seen:]
            self._search_seen = len(index.entries)
        return context

    @event_priority(-100)
    def on_post_page(self, output, *, page, config):
        self.built += 1
        self._tick()
        return output

    @event_priority(100)  # before the search plugin writes the index, and the offline plugin inlines it
    def on_post_build(self, *, config):
        if self.crew and self.crew.is_worker:
            self.crew.finish({"records": self.records, "built": self.built, "warnings": self._warnings})
        if self.crew:
            self._collect()
        merged = {}
        for file in self.files.documentation_pages():
            record = self.records.get(file.src_uri) or self.reuse.get(file.src_uri)
            if record is None:
                raise PluginError(f"no build result for page {file.src_uri}")
            merged[file.src_uri] = record
        self.records = merged
        self._check_anchors(config)
        index = _search_index(config)
        if index is not None:
            index.entries = [entry for record in merged.values() for entry in record.search]

    def render_again(self, config, uris) -> None:
        """Before the pages ``uris`` are rendered again after the build, in this process (engine/warm.py)."""
        self.crew = None
        self._warm = set(uris)
        self.reuse = {}
        index = _search_index(config)
        self._search_seen = len(index.entries) if index is not None else 0

    def on_build_error(self, *, error):
        if self.crew and self.crew.is_worker:
            self.crew.finish({"error": str(error) or type(error).__name__, "warnings": self._warnings}, failed=True)
        self.close()

    def close(self) -> None:
        """End the workers (if any still run) and remove their scratch folder; safe to call twice."""
        if self.crew and not self.crew.is_worker:
            self.crew.stop()
            shutil.rmtree(self.crew.scratch, ignore_errors=True)

    def _tick(self) -> None:
        if not self.crew:
            super()._tick()
            return
        self.crew.tick()
        if not self.crew.is_worker:
            self._report()

    def _report(self) -> None:
        if self.progress:
            self.progress(self.crew.done(), self.total)

    def _collect(self) -> None:
        failures = []
        for result in self.crew.wait(on_progress=self._report):
            for level, name, message in result["warnings"]:
                logging.getLogger(name).log(level, message)
            if "error" in result:
                failures.append(result["error"])
            else:
                self.records.update(result["records"])
                self.built += result["built"]
        self.close()
        if failures:
            raise PluginError("; ".join(failures))

    def _capture_warnings(self) -> None:
        warnings = self._warnings

        class Capture(logging.Handler):
            def emit(self, record):
                warnings.append((record.levelno, record.name, record.getMessage()))

        logging.getLogger("mkdocs").addHandler(Capture(logging.WARNING))

    def _check_anchors(self, config) -> None:
        """mkdocs' own check of links to #anchors, over every page: the ones built here, elsewhere or before."""
        files = self.files
        by_uri = files.src_uris
        again = self._warm
        for uri, record in self.records.items():
            page = by_uri[uri].page
            if page.present_anchor_ids is None and record.anchors is not None:
                page.present_anchor_ids = set(record.anchors)
        for uri, record in self.records.items():
            if again is not None and uri not in again and not (record.links and not again.isdisjoint(record.links)):
                continue  # a page rendered again changes only its own links' checks and those of links to it
            if record.links:
                page = by_uri[uri].page
                page.links_to_anchors = {by_uri[t]: links for t, links in record.links.items() if t in by_uri}
                page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
                page.links_to_anchors = None


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


def _size(file) -> int:
    try:
        return os.path.getsize(file.abs_src_path)
    except OSError:
        return 0


_FRONT_MATTER: dict[str, tuple[tuple, dict]] = {}
"""Meta read by an earlier build of this process (``serve``), by file and the identity of its content then."""


def _read_front_matter(files) -> None:
    """Each page's meta, as rendering it would set it, without rendering it.

    A file whose inode, size, modification and change times are those it had when an earlier build of this
    process read it is not read again (writing a file changes its times)."""
    seen: dict[str, tuple[tuple, dict]] = {}
    for file in files:
        if file.page is not None and file.abs_src_path:
            info = os.stat(file.abs_src_path)
            identity = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            known = _FRONT_MATTER.get(file.abs_src_path)
            if known is not None and known[0] == identity:
                meta = known[1]
            else:
                with open(file.abs_src_path, encoding="utf-8-sig", errors="strict") as handle:
                    meta = front_matter.get_data(handle.read())[1]
            seen[file.abs_src_path] = (identity, meta)
            file.page.meta = dict(meta)
            _title_in_meta(file.page)
    _FRONT_MATTER.clear()
    _FRONT_MATTER.update(seen)


def _title_in_meta(page) -> None:
    """Material writes a page's <title> from page.title through ``striptags``, which turns the escaped
    entities of a navigation title (inventory text) back into markup; a title in the meta is written as is.
    Only titles with entities need that (the home page's <title> is the site name)."""
    title = vars(page).get("title")  # set only when the navigation names the page
    if title and "&" in title and "title" not in page.meta and not page.is_homepage:
        page.meta["title"] = title


def _search_index(config):
    """Material's search index, when its search plugin is on (it keeps a list of entries)."""
    return getattr(search_plugin(config), "search_index", None)
