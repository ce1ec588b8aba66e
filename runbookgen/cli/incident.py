"""`runbookgen incident`: an incident report prefilled for one alert."""

from __future__ import annotations

import datetime as dt
import re

import click

from runbookgen.cli.base import config_option, inventory_option, main, reports_problems
from runbookgen.problems import InputError, Position, Problem


# Terminal control: C0 controls but newline and tab, DEL, C1 controls (an 8-bit CSI is one), and the
# bidirectional overrides that make a terminal show text in another order than it is written.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_safely(text: str) -> str:
    """``text`` with every character that could drive a terminal written as its escape (``\\x1b``), visibly."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}" if ord(m.group(0)) > 0xff
                        else f"\\x{ord(m.group(0)):02x}", text)


def _started_at(value: str | None) -> str:
    if not value:
        return ""
    text = value.strip().replace("T", " ").removesuffix("Z").removesuffix("UTC").strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a time like 2026-11-24 03:12 (UTC)", param_hint="--started-at")


@main.command()
@click.argument("alert")
@inventory_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--started-at", default=None, metavar="TIME",
              help="When the incident started, UTC (2026-11-24 03:12); starts the timeline.")
@config_option
@reports_problems
def incident(alert, inventory, out, started_at, config):
    """Print an incident report prefilled for ALERT.

    The report has the alert's severity, owner, escalation path, queries with
    Grafana Explore links, and a timeline starting at --started-at; the same
    report is downloadable from the alert's page on the site.

    \b
    Example:
      runbookgen incident HighErrorRate --started-at "2026-11-24 03:12" -o incident.md
    """
    from runbookgen.generate.render import render_incident_report
    from runbookgen.project import resolve_project
    from runbookgen.problems import did_you_mean

    when = _started_at(started_at)
    project = resolve_project(inventory, config=config)
    inv = project.load_inventory()
    target = inv.alert(alert)
    if target is None:
        names = [a.name for a in inv.alerts]
        raise InputError([Problem(Position(inventory, 1, 1),
                                  f"no alert named {alert!r} in this inventory{did_you_mean(alert, names)}")])
    # Inventory text never reaches a terminal (or a file later shown in one) as control sequences
    text = shown_safely(render_incident_report(inv, target, started_at=when, site_url=project.site.site_url,
                                               html_pages=project.site.html_pages))
    if out:
        try:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as err:
            raise InputError([Problem(Position(out, 1, 1), f"cannot write: {err.strerror or err}")]) from None
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
