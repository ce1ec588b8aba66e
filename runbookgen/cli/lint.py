"""The lint command: check the inventory against Prometheus and Loki rule files."""

from __future__ import annotations

import os
import sys

import click

from runbookgen.cli.base import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, inventory_option, main, reports_problems
from runbookgen.problems import InputError, Position, Problem
from runbookgen.report import FORMATS



def _list_checks(ctx, _param, value):
    if not value or ctx.resilient_parsing:
        return
    from runbookgen.checks.base import summary_of
    from runbookgen.checks.registry import CHECKS

    for check in CHECKS:
        click.echo(f"{check.CODE}  {check.NAME:<22} {check.LEVEL:<8} {summary_of(check)}")
    ctx.exit(EXIT_OK)


def _explain(ctx, _param, value):
    if not value or ctx.resilient_parsing:
        return
    from runbookgen.report.check_pages import check_page
    from runbookgen.checks.registry import check_keys, find_check
    from runbookgen.problems import did_you_mean

    check = find_check(value)
    if check is None:
        raise click.BadParameter(f"no check {value!r}{did_you_mean(value, check_keys())}", param_hint="--explain")
    click.echo(check_page(check), nl=False)
    ctx.exit(EXIT_OK)


def _server_url(ctx, param, value):
    if value is None:
        return None
    from runbookgen.live.settings import url_problem

    problem = url_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value


def _server_unreachable() -> type:
    from runbookgen.live import ServerUnreachable  # loads the HTTP client: only once something was raised

    return ServerUnreachable


@main.command()
@inventory_option
@click.option("--rules", "-r", "rules", multiple=True, metavar="PATH_OR_GLOB",
              help="A rule file, folder or glob (repeatable); prefix it with the ruler that evaluates it to "
                   "choose the dialect: prometheus:, loki:, vmalert:, thanos:, mimir: (cortex:) or grafana: "
                   "(default: the content decides). Default: the inventory's lint: rules: list, relative to the "
                   "inventory.")
@click.option("--format", "-F", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--config", "-f", "config", type=click.Path(dir_okay=False),
              help="mkdocs configuration whose site_url gives the expected runbook_url. "
                   "Default: mkdocs.yml beside the inventory, when there is one.")
@click.option("--fail-level", type=click.Choice(("error", "warning", "info", "never")), default="error",
              show_default=True, help="Exit with 1 when a finding is at this level or above.")
@click.option("--color/--no-color", default=None,
              help="Colour the text format. Default: when standard output is a terminal and NO_COLOR is unset.")
@click.option("--prometheus", metavar="URL", callback=_server_url,
              help="Also run the live checks against this Prometheus (default: lint.prometheus.url in the "
                   "inventory). Nothing is sent anywhere else.")
@click.option("--no-live", "no_live", is_flag=True,
              help="Skip the live checks even when the inventory names a server (offline, pre-commit).")
@click.option("--list-checks", is_flag=True, expose_value=False, is_eager=True, callback=_list_checks,
              help="List the checks (code, name, default level) and exit.")
@click.option("--explain", metavar="CHECK", expose_value=False, is_eager=True, callback=_explain,
              help="Print a check's documentation (by code or name) and exit.")
@reports_problems
def lint(inventory, rules, output_format, output, config, fail_level, color, prometheus, no_live):
    """Check runbooks against Prometheus and Loki alerting rules.

    Finds alerts without a runbook, runbooks without an alert, runbook_url
    annotations that are missing, malformed or point elsewhere, severities that
    disagree, queries that do not parse, stale and unfinished runbooks. Rule files
    may be Prometheus, Thanos, Mimir, Loki, vmalert or Grafana-managed rule files,
    or PrometheusRule, VMRule or Loki Operator resources, also several in one
    multi-document file. A run that reads no rule at all fails (no-rules-checked).

    \b
    Exit codes: 0 no finding at the failing level, 1 findings, 2 unusable input.

    \b
    Examples:
      runbookgen lint
      runbookgen lint --rules 'rules/**/*.yaml' --format github
      runbookgen lint --rules loki:loki-rules/ --rules vmalert:vm/
      runbookgen lint --format sarif --output lint.sarif
      runbookgen lint --explain RB001
      runbookgen lint --prometheus http://127.0.0.1:9090
    """
    from runbookgen.lint import run_lint
    from runbookgen.project import resolve_project
    from runbookgen.report import renderer

    try:
        if no_live and prometheus:
            raise click.UsageError("--prometheus and --no-live contradict each other")
        result = run_lint(resolve_project(inventory, config=config, rules=tuple(rules)), prometheus=prometheus,
                          live=not no_live)
    except _server_unreachable() as err:  # evaluated only when something was raised
        click.echo(f"runbookgen lint: cannot ask the Prometheus server at {err.url}: {err.reason}", err=True)
        sys.exit(EXIT_INPUT)
    if color is None:
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    report = renderer(output_format)(result, color=bool(color and output_format == "text"), fail_level=fail_level)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(report)
        except OSError as err:
            problem = Problem(Position(output), f"cannot write the report: {err.strerror or err}")
            raise InputError([problem]) from None
        from runbookgen.report.text import summary_line

        click.echo(f"{summary_line(result)}; report written to {output}", err=True)
    else:
        click.echo(report, nl=False)
    sys.exit(EXIT_FINDINGS if result.fails(fail_level) else EXIT_OK)
