"""The build pipeline: inventory -> Markdown -> site, with the old site kept until the new one is whole.

A build does no more work than its inputs call for (the cache is described in
``site/cache.py``):

- **skipped**: every input has the fingerprint of the last build and that site
  is still in place; nothing is loaded;
- **unchanged**: the inventory renders to the very pages of the last build;
  the site stays as it is;
- **incremental**: only page bodies changed (same navigation, page list, front
  matter, configuration and engine): the previous site is copied into the
  staging folder and only the changed pages are rendered again;
- **full**: anything else, or when asked (``full=True``), or without a cache.

Every mode leaves the site a full build would write (tests/perf checks it file
by file), and any of them can fail or be killed leaving the previous site intact.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from runbookgen.gcpause import cycle_collector_paused
from runbookgen.coverage import coverage_of
from runbookgen.digests import file_digest
from runbookgen.generate.nav import navigation
from runbookgen.generate.kept import KeptPages
from runbookgen.generate.render import (Page, keep_incident_reports, render_alert_pages, render_incident_reports,
                                       render_pages, write_pages)
from runbookgen.problems import InputError, Position, Problem, display_path
from runbookgen.project import Project, SiteConfig
from runbookgen.engine import SiteError, build_date, build_site, partial_builds_supported
from runbookgen.output.atomic import (SITE_MARKER, exclusive, is_built_site, link_missing, remove_in_background,
                                      replace_dir, staging_dir)
from runbookgen.output.cache import BuildCache, site_stamp
from runbookgen.generate.docs import export_docs, sync_docs
from runbookgen.output.inputs import digests, engine_digest, inputs_unchanged, record_inputs, structure_digest
from runbookgen.engine.records import Progress
from runbookgen.processes import Forked, idle_cores

if TYPE_CHECKING:
    from runbookgen.inventory.incremental import InventoryReloader
    from runbookgen.output.warm import WarmSite

MAX_JOBS = 8
FORK_MIN_ALERTS = 200  # below this, rendering the extras takes less than forking a process for them
# The share of alert pages the second core renders besides the coverage page and the incident reports,
# which cost about 0.4 alert pages per alert (measured at 1,000 alerts): both cores then finish together.
FORKED_ALERT_SHARE = 0.35


@dataclass(frozen=True)
class BuildResult:
    site_dir: str
    pages: int
    alerts: int
    mode: str = "full"  # skipped, unchanged, warm (serve, output/warm.py), incremental or full
    rendered: int = 0  # pages the site engine rendered
    notes: tuple[str, ...] = ()  # what the user should know, though the build succeeded


def check_site_dir(site_dir: str, protected: list[str], store: BuildCache | None) -> None:
    """Refuse to replace a folder runbookgen did not build: a wrong --site-dir must not eat work.

    A folder is runbookgen's when it holds the marker every build writes, or (a site built before
    the marker existed) when the build cache describes exactly this folder.
    """
    target = os.path.realpath(site_dir)
    for path in protected:
        real = os.path.realpath(path)
        if real == target or real.startswith(target + os.sep):
            raise InputError([Problem(Position(site_dir, 1, 1),
                                      f"site folder would contain {path}; choose another --site-dir")])
    if os.path.lexists(site_dir):
        if not os.path.isdir(site_dir) or os.path.islink(site_dir):
            raise InputError([Problem(Position(site_dir, 1, 1), "site path exists and is not a folder")])
        try:
            entries = os.listdir(site_dir)
        except OSError as err:
            raise InputError([Problem(Position(site_dir, 1, 1),
                                      f"cannot read the site folder: {err.strerror or err}")]) from None
        if entries and not is_built_site(site_dir) and not _cache_knows(store, site_dir):
            raise InputError([Problem(Position(site_dir, 1, 1),
                                      f"folder is not empty and was not built by runbookgen (no {SITE_MARKER} "
                                      "in it), so runbookgen will not replace it; choose an empty or new "
                                      "--site-dir, or remove the folder yourself")])


def _cache_knows(store: BuildCache | None, site_dir: str) -> bool:
    state = store.state() if store else None
    return bool(state) and state.get("site") == site_stamp(site_dir)


def default_jobs() -> int:
    """One process per idle core (at most ``MAX_JOBS``): the available cores less the one-minute load.

    Forked workers pay only on cores nobody else uses: measured at 1,000 alerts on two cores, the
    forked build took 0.55 - 0.60x plain mkdocs with both cores free, but 1.31 - 1.33x with other
    jobs holding them, where one process took 0.75 - 0.87x (bench/RESULTS-build.md).
    """
    return max(1, min(MAX_JOBS, idle_cores()))


def build(project: Project, *, site_dir: str, docs_dir: str | None = None, full: bool = False, cache: bool = True,
          jobs: int | None = None, progress: Progress | None = None, live_marks=None,
          kept: KeptPages | None = None, reloader: InventoryReloader | None = None,
          warm: WarmSite | None = None) -> BuildResult:
    """Validate, render and build. On any error the previous ``site_dir`` is left exactly as it was.

    ``full`` ignores what the cache knows (and refreshes it); ``cache=False`` neither reads nor
    writes it. ``jobs`` caps the processes that render pages (default: one per core);
    ``progress`` is called with (steps done, steps in all) while the site engine works.
    ``live_marks`` are the last live results of the runbook queries (``build --live-results``).
    ``kept``: the pages an earlier build of this process rendered (``serve``); only pages whose inputs
    changed are rendered again (generate/kept.py). ``reloader``: loads the inventory reading again only the
    alerts that changed since its last load (inventory/incremental.py; ``serve``). ``warm``: the site this process
    built last, kept in memory; an edit of page bodies only is rendered straight into it (output/warm.py; ``serve``).
    """
    where = Position(site_dir, 1, 1)
    parent = os.path.dirname(os.path.abspath(site_dir)) or "."
    try:
        os.makedirs(parent, exist_ok=True)
        with exclusive(parent):  # two builds of one site run one after the other
            store, notes = BuildCache(site_dir) if cache else None, ()
            if store is not None and not store.usable():
                store, notes = None, (f"the build cache {store.root} cannot be written: built without it",)
            check_site_dir(site_dir, [p for p in (project.inventory_path, project.site.path, docs_dir) if p], store)
            result = _build(project, store, site_dir=site_dir, docs_dir=docs_dir, full=full, jobs=jobs,
                            progress=progress, live_marks=live_marks, kept=kept, reloader=reloader, warm=warm)
            return dataclasses.replace(result, notes=notes) if notes else result
    except TimeoutError:
        raise InputError([Problem(where, "another build of this site has been running for ten minutes; "
                                         "try again when it is done")]) from None
    except OSError as err:  # a folder that cannot be written, a full disk: the site is left as it was
        what = f"{err.strerror or err}" + (f": {display_path(err.filename)}" if err.filename else "")
        raise InputError([Problem(where, f"cannot write the site: {what}")]) from None


def _build(project: Project, store: BuildCache | None, *, site_dir: str, docs_dir: str | None, full: bool,
           jobs: int | None, progress: Progress | None, live_marks, kept: KeptPages | None = None,
           reloader: InventoryReloader | None = None, warm: WarmSite | None = None) -> BuildResult:
    config_path = project.site.path
    jobs = jobs or default_jobs()
    engine = engine_digest() + (repr(sorted(live_marks.items())) if live_marks else "") if store else ""
    stamp = _stamp_once(site_dir)  # the site is walked once a build: 30,000 files at 10,000 alerts
    if store and not full:
        state = store.state()
        if (state and state.get("site") == stamp() and (not docs_dir or os.path.isdir(store.docs))
                and inputs_unchanged(state.get("inputs"), project.inventory_path, project.site, engine)):
            if docs_dir:
                export_docs(store.docs, docs_dir)
            return BuildResult(site_dir, state["pages"], state["alerts"], "skipped")

    with cycle_collector_paused():
        inventory = reloader.load() if reloader is not None else project.load_inventory()
    if kept is not None:
        kept.start()
    with _frozen():
        site_url, html_pages = project.site.site_url, project.site.html_pages
        try:
            partial = partial_builds_supported(config_path)
        except SiteError as err:
            raise InputError(err.problems) from None
        # The coverage page's lint run, the incident reports and the last alert pages do not depend on the
        # other pages: on a second core they are rendered while this process renders the rest.
        fork = jobs > 1 and len(inventory.alerts) >= FORK_MIN_ALERTS
        first = len(inventory.alerts) - (round(len(inventory.alerts) * FORKED_ALERT_SHARE) if fork else 0)
        # Worked out before the fork: what a forked process read the coverage facts from, for the next rebuild.
        coverage_key = _coverage_key(inventory, project.site) if kept is not None and fork else None
        extras = Forked(_extras, inventory, project.site, first, live_marks, None if fork else kept, fork=fork)
        try:
            pages = render_pages(inventory, site_url=site_url, html_pages=html_pages, live_marks=live_marks,
                                 coverage=lambda: extras.result()[0], elsewhere=(first, lambda: extras.result()[2]),
                                 kept=kept)
            coverage, downloads, _ = extras.result()
            if kept is not None and fork:  # rendered by the forked process: kept for the next build all the same
                keep_incident_reports(kept, inventory, downloads, site_url=site_url, html_pages=html_pages)
                if coverage_key is not None and coverage is not None:
                    _COVERAGE[:] = [(coverage_key, coverage)]
        finally:
            extras.cancel()
        site = SiteInputs(pages, downloads, navigation(inventory, coverage=coverage is not None), config_path,
                          f"{inventory.service.name} runbooks")
        counts = {"pages": len(pages), "alerts": len(inventory.alerts)}
        inputs = record_inputs(inventory, project.site, engine, coverage.rule_sources if coverage else ()) \
            if store else None
        if store is None:
            rendered = _build_without_cache(site, site_dir, docs_dir, jobs=jobs, partial=partial, progress=progress)
            result = BuildResult(site_dir, counts["pages"], counts["alerts"], "full", rendered)
        else:
            result = _build_with_cache(store, site, site_dir, docs_dir, full=full, inputs=inputs, engine=engine,
                                       counts=counts, jobs=jobs, partial=partial, progress=progress, stamp=stamp,
                                       again=kept is not None, warm=None if docs_dir else warm)
    if kept is not None:
        kept.finish()
    return result


def _build_with_cache(store: BuildCache, site: SiteInputs, site_dir: str, docs_dir: str | None, *, full: bool,
                      inputs: dict, engine: str, counts: dict, jobs: int, partial: bool,
                      progress: Progress | None, stamp=None, again: bool = False,
                      warm: WarmSite | None = None) -> BuildResult:
    """Skip, reuse or rebuild, as the cache allows; see the module's docstring."""
    pages, downloads = site.pages, site.downloads
    outline = {"structure": structure_digest(pages, site.nav, site.config_path, engine), "pages": digests(pages),
               "downloads": digests(downloads), "date": build_date()}
    if warm is not None and not full:
        done = warm.update(store, outline, pages, downloads, site_dir)
        if done is not None:
            return BuildResult(site_dir, counts["pages"], counts["alerts"], "warm" if done[1] else "unchanged", done[0])
    previous = None if full or not os.path.isdir(store.docs) else store.pages()
    state = store.state() if previous else None
    site_known = bool(state) and state.get("site") == (stamp or _stamp_once(site_dir))()
    if site_known and previous.get("structure") == outline["structure"]:
        if previous.get("pages") == outline["pages"] and previous.get("downloads") == outline["downloads"]:
            store.save_state({"inputs": inputs, "site": state["site"], **counts})
            if docs_dir:
                export_docs(store.docs, docs_dir)
            return BuildResult(site_dir, counts["pages"], counts["alerts"], "unchanged")
    reuse = None
    if site_known and partial and previous.get("structure") == outline["structure"]:
        reuse = _reusable(store, previous, outline)
    mode = "incremental" if reuse is not None else "full"

    store.forget()
    sync_docs(store.docs, pages, previous.get("pages") if previous else None, outline["pages"])
    with _staged(site_dir, again=again) as staging:
        # Incremental: mkdocs writes the changed pages (and the files every build writes) into the empty
        # staging folder, then the rest is linked from the current site, which is never written to.
        keep_templates = reuse is not None and previous.get("date") == outline["date"]  # sitemap.xml dates
        result = build_site(store.docs, staging, site.nav, config_path=site.config_path, site_name=site.site_name,
                            reuse=reuse, jobs=jobs, partial=partial, keep_templates=keep_templates,
                            progress=progress, live=warm is not None)
        old_downloads = previous.get("downloads", {}) if reuse is not None else {}
        write_pages([d for d in downloads if old_downloads.get(d.path) != outline["downloads"][d.path]], staging)
        if reuse is not None:
            link_missing(site_dir, staging)
    store.save(state={"inputs": inputs, "site": site_stamp(site_dir), **counts}, pages=outline,
               records=result.records if partial else None)
    if warm is not None:
        warm.keep(result.live, outline, site_dir)
    if docs_dir:
        export_docs(store.docs, docs_dir)
    return BuildResult(site_dir, counts["pages"], counts["alerts"], mode, result.built)


def _extras(inventory, site: SiteConfig, first: int, live_marks=None, kept: KeptPages | None = None) -> tuple:
    return (_coverage(inventory, site, kept is not None),
            render_incident_reports(inventory, site_url=site.site_url, html_pages=site.html_pages, kept=kept),
            render_alert_pages(inventory, first, site_url=site.site_url, html_pages=site.html_pages,
                               live_marks=live_marks))


_COVERAGE: list = []  # [(what the last coverage page was worked out from, its facts)], in a process that rebuilds


def _coverage(inventory, site: SiteConfig, again: bool):
    """``coverage_of``; in a process that builds again (``again``: serve), the last facts while what they are
    worked out from is unchanged (``_coverage_key``). Reading 10,000 rules took a second a rebuild."""
    key = _coverage_key(inventory, site) if again else None
    if key is None:
        return coverage_of(inventory, site)
    if _COVERAGE and _COVERAGE[0][0] == key:
        return _COVERAGE[0][1]
    found = coverage_of(inventory, site)
    _COVERAGE[:] = [(key, found)]
    return found


def _coverage_key(inventory, site: SiteConfig):
    """What the coverage page is worked out from: the rule files (by digest, and what their patterns match), the
    lint settings, the severities, and each alert's name, status and file (None: no rule files, or unreadable)."""
    if not inventory.lint.rules:
        return None
    from runbookgen.rules.read import rule_files

    try:
        todo, unmatched = rule_files(list(inventory.lint.rules), inventory.base_dir)
        rules = tuple((path, file_digest(path)) for path, _named, _ruler in todo)
    except OSError:
        return None
    return (rules, tuple(unmatched), inventory.path, inventory.lint, inventory.severities, site,
            tuple((a.name, a.status, a.pos.file) for a in inventory.alerts))


@contextmanager
def _frozen():
    """Keep what exists now (the inventory) out of the collector's way for the rest of the build; forked
    workers then also keep sharing those objects' memory instead of copying it as the collector marks them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class SiteInputs:
    pages: list[Page]
    downloads: list[Page]
    nav: list
    config_path: str | None
    site_name: str


def _build_without_cache(site: SiteInputs, site_dir: str, docs_dir: str | None, *, jobs: int, partial: bool,
                         progress: Progress | None) -> int:
    scratch_docs = tempfile.mkdtemp(prefix="runbookgen-docs-")
    try:
        with _staged(site_dir) as staging:
            write_pages(site.pages, scratch_docs)
            result = build_site(scratch_docs, staging, site.nav, config_path=site.config_path,
                                site_name=site.site_name, jobs=jobs, partial=partial, progress=progress)
            write_pages(site.downloads, staging)  # plain Markdown files to download, not pages
        if docs_dir:
            export_docs(scratch_docs, docs_dir)
    finally:
        shutil.rmtree(scratch_docs, ignore_errors=True)
    return result.built


@contextmanager
def _staged(site_dir: str, *, again: bool = False):
    """A staging folder beside ``site_dir`` for the body to build the site in.

    When the body finishes, the staging folder takes the site's place in one step (the old site is
    removed); when it fails, the staging folder is removed and ``site_dir`` is untouched.
    A SiteError becomes an InputError. ``again``: this process builds again (``serve``); it does not wait for
    the old site's removal.
    """
    staging = staging_dir(site_dir)
    try:
        yield staging
        replace_dir(staging, site_dir, remove=remove_in_background if again else None)
        staging = None
    except SiteError as err:
        raise InputError(err.problems) from None
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)


def _reusable(store: BuildCache, previous: dict, outline: dict):
    """Records of the pages whose Markdown did not change, or None when the cache lacks any of them."""
    records = store.records()
    if records is None:
        return None
    old = previous.get("pages", {})
    unchanged = [path for path, digest in outline["pages"].items() if old.get(path) == digest]
    if any(path not in records for path in unchanged):
        return None
    return {path: records[path] for path in unchanged}


def _stamp_once(site_dir: str):
    """``site_stamp(site_dir)``, worked out on the first call only."""
    found: list = []

    def stamp():
        if not found:
            found.append(site_stamp(site_dir))
        return found[0]
    return stamp
