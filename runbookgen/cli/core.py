"""The inventory commands: validate, build, schema."""

from __future__ import annotations

import os

import click

from runbookgen.cli.base import inventory_option, main, plural, reports_problems
from runbookgen.problems import InputError, Position, Problem


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
    from runbookgen.inventory import load_inventory

    inv = load_inventory(inventory)
    counts = ", ".join(plural(len(items), word) for items, word in
                       ((inv.alerts, "alert"), (inv.procedures, "procedure"), (inv.health_checks, "health check")))
    click.echo(f"{inventory}: ok ({counts})")


@main.command()
@inventory_option
@click.option("--config", "-f", "config", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False),
              help="mkdocs configuration (theme, palette, site_url); built-in defaults when the file does not exist.")
@click.option("--site-dir", "-d", default="site", show_default=True, type=click.Path(file_okay=False),
              help="Where the site is written. The previous site stays until the new one is complete.")
@click.option("--docs-dir", default=None, type=click.Path(file_okay=False),
              help="Also keep the generated Markdown in this folder (emptied on every build).")
@reports_problems
def build(inventory, config, site_dir, docs_dir):
    """Build the runbook site: inventory -> Markdown -> mkdocs-material site.

    Templates in a templates/ folder beside the inventory replace the built-in
    ones of the same name. A failed build leaves the previous site untouched.

    \b
    Example:
      runbookgen build && python -m http.server -d site
    """
    from runbookgen.build import build as run_build

    explicit = click.get_current_context().get_parameter_source("config") != click.core.ParameterSource.DEFAULT
    if explicit and not os.path.isfile(config):
        raise InputError([Problem(Position(config, 1, 1), "mkdocs configuration file not found")])
    result = run_build(inventory, config_path=config if os.path.isfile(config) else None, site_dir=site_dir,
                       docs_dir=docs_dir)
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
