"""The inventory commands: validate, build, schema."""

from __future__ import annotations

import os

import click

from runbookgen.cli.base import config_option, inventory_option, main, plural, reports_problems
from runbookgen.problems import InputError


@main.command()
@inventory_option
@reports_problems
def validate(inventory):
    """Check the inventory against the schema and for broken references.

    Every problem is printed at once as FILE:LINE:COL: MESSAGE on stderr; the exit
    code is 2 when there is any.

    \b
    Example:
      runbookgen validate --inventory runbooks.yaml
    """
    from runbookgen.project import resolve_project

    inv = resolve_project(inventory).load_inventory()
    counts = ", ".join(plural(len(items), word) for items, word in
                       ((inv.alerts, "alert"), (inv.procedures, "procedure"), (inv.health_checks, "health check")))
    click.echo(f"{inventory}: ok ({counts})")


@main.command()
@inventory_option
@config_option
@click.option("--site-dir", "-d", default="site", show_default=True, type=click.Path(file_okay=False),
              help="Where the site is written. The previous site stays until the new one is complete.")
@click.option("--docs-dir", default=None, type=click.Path(file_okay=False),
              help="Also keep the generated Markdown in this folder (emptied on every build).")
@click.option("--full", is_flag=True, help="Rebuild every page, whatever the cache says (and refresh the cache).")
@click.option("--no-cache", "no_cache", is_flag=True, help="Neither read nor write the build cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that render pages (default: one per idle core, the cores less the processes running now).")
@click.option("--live-results", "live_results", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="A report of runbookgen lint --prometheus URL --format json: each runbook query shows its last "
                   "live result (no data, or the server's error).")
@reports_problems
def build(inventory, config, site_dir, docs_dir, full, no_cache, jobs, live_results):
    """Build the runbook site: inventory -> Markdown -> mkdocs-material site.

    Templates in a templates/ folder beside the inventory replace the built-in
    ones of the same name. A failed build leaves the previous site untouched.
    When the inventory lists rule files (lint: rules:), the site gets a
    coverage page.

    Builds are incremental: a cache beside the site (.runbookgen-cache/) lets a
    build with nothing changed finish at once, and an edit to a few runbooks
    re-render only their pages; the result is always the site a clean build
    writes. --full ignores the cache.

    \b
    Example:
      runbookgen build && python -m http.server -d site
    """
    from runbookgen.build import build as run_build
    from runbookgen.project import resolve_project
    from runbookgen.cli.progress import terminal_progress

    project = resolve_project(inventory, config=config)
    marks = None
    if live_results:
        from runbookgen.live.results import load_query_marks

        marks = load_query_marks(live_results)
    bar = terminal_progress(click.get_text_stream("stderr"))
    try:
        result = run_build(project, site_dir=site_dir, docs_dir=docs_dir, full=full, cache=not no_cache, jobs=jobs,
                           progress=bar, live_marks=marks)
    finally:
        if bar:
            bar.close()
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.mode in ("skipped", "unchanged"):
        click.echo(f"nothing changed: {result.site_dir}/ is up to date ({result.pages} pages, {result.alerts} alerts)")
    elif result.mode == "incremental":
        click.echo(f"built {result.pages} pages ({result.alerts} alerts) into {result.site_dir}/, "
                   f"{result.rendered} of them re-rendered")
    else:
        click.echo(f"built {result.pages} pages ({result.alerts} alerts) into {result.site_dir}/")


@main.command()
@click.option("--markdown", is_flag=True, help="Print the inventory reference (Markdown) instead of the schema.")
def schema(markdown):
    """Print the inventory's JSON Schema (draft 2020-12).

    Point your editor at it for completion and inline errors, e.g. with the
    modeline runbookgen init writes at the top of runbooks.yaml:

    \b
      # yaml-language-server: $schema=runbooks.schema.json
      runbookgen schema > runbooks.schema.json
    """
    if markdown:
        from runbookgen.inventory.reference import reference_markdown

        click.echo(reference_markdown(), nl=False)
    else:
        from runbookgen.inventory.validate import schema_text

        click.echo(schema_text(), nl=False)


@main.command()
@inventory_option
@config_option
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Where to serve the preview.")
@reports_problems
def serve(inventory, config, dev_addr):
    """Preview the site while you edit: rebuild on every save, and reload the page.

    Serves the site on http://127.0.0.1:8000 and rebuilds it whenever the
    inventory, an included file, a template or mkdocs.yml changes; the pages
    open in a browser reload by themselves once the new site is in place. A broken
    edit prints its problems and keeps serving the last good site. The
    preview is built in a temporary folder, removed when serve stops
    (Ctrl+C, SIGTERM, SIGHUP); your site/ is never touched.

    \b
    Example:
      runbookgen serve --dev-addr 127.0.0.1:8001
    """
    import signal
    import tempfile

    from runbookgen.build import build as run_build
    from runbookgen.cli.preview import remove_preview, serve_forever, watched_files
    from runbookgen.generate.kept import KeptPages
    from runbookgen.inventory.incremental import InventoryReloader
    from runbookgen.output.warm import WarmSite

    from runbookgen.project import resolve_project

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{dev_addr!r} is not HOST:PORT (a port from 1 to 65535)", param_hint="--dev-addr")
    project = resolve_project(inventory, config=config)
    scratch = tempfile.mkdtemp(prefix="runbookgen-serve-")  # the preview site and its build cache
    site_dir = os.path.join(scratch, "site")
    kept = KeptPages()  # each rebuild renders again only the pages whose inputs changed
    reloader = InventoryReloader(inventory)  # and reads again only the alerts that changed
    warm = WarmSite()  # and an edit of page bodies only is rendered straight into the site in place

    def rebuild() -> bool:
        """Build again; whether a new site is in place (open pages then reload)."""
        try:
            # In this process: the texts it rendered before are kept (generate/prose.py), so only what
            # changed is rendered again; a forked helper would start from nothing each time.
            result = run_build(resolve_project(inventory, config=config), site_dir=site_dir, jobs=1, kept=kept,
                               reloader=reloader, warm=warm)
            click.echo(f"rebuilt {result.pages} pages ({result.alerts} alerts)", err=True)
            return result.mode not in ("skipped", "unchanged")
        except InputError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            click.echo("build failed; still serving the last good site", err=True)
            return False

    stopped_by: list[int] = []

    def stop(signum, frame):
        stopped_by.append(signum)
        raise KeyboardInterrupt

    # A service manager's stop (SIGTERM) and a closed terminal (SIGHUP) end serve like Ctrl+C does: the
    # preview site is removed first; then the process ends by that signal, as its sender expects.
    endings = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, stop) for signum in endings}
    try:
        # One process per core, its pages kept all the same:
        run_build(project, site_dir=site_dir, kept=kept, reloader=reloader, warm=warm)
        click.echo(f"serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        serve_forever(site_dir, host, int(port), rebuild, lambda: watched_files(inventory, project.site.path))
    except KeyboardInterrupt:
        if not stopped_by:
            raise
    finally:
        for signum in endings:  # a second signal must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        remove_preview(scratch)  # at most a second here, the rest in the background: serve ends promptly
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped_by:
        signal.signal(stopped_by[0], signal.SIG_DFL)
        os.kill(os.getpid(), stopped_by[0])
