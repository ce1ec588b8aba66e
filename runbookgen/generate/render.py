"""Render an Inventory into Markdown pages (and incident reports), and write them.

Templates live in the package (``runbookgen/templates``); a ``templates/``
folder beside the inventory overrides any of them by file name. Output is a
function of the inventory alone: same inventory, same bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from runbookgen.content import opaque
from runbookgen.generate.filters import FILTERS, finalize
from runbookgen.generate.kept import KeptPages
from runbookgen.content.html_safety import unsafe_markup
from runbookgen.generate.value_sources import value_position
from runbookgen.generate.context import (  # noqa: F401 - the names other modules take from here
    INCIDENT_TEMPLATE_PATH, Context, alert_page_path, download_script_path, incident_report_path, procedure_page_path,
    relative_path, severity_page_path)
from runbookgen.inventory.model import Alert, Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.usercache import keep_compiled_templates

TEMPLATE_DIR_NAME = "templates"


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs_dir, with forward slashes
    title: str
    content: str




def environment(inventory_dir: str | None) -> jinja2.Environment:
    loaders = []
    if inventory_dir:
        user_dir = os.path.join(inventory_dir, TEMPLATE_DIR_NAME)
        if os.path.isdir(user_dir):
            loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.PackageLoader("runbookgen", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every inventory value is HTML-escaped unless a filter made it safe
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # a value placed without a filter is still never read as Markdown (filters.py)
    )
    env.filters.update(FILTERS)
    keep_compiled_templates(env)
    return env




def render_pages(inventory: Inventory, *, site_url: str = "", html_pages: bool = True,
                 coverage=None, elsewhere: tuple[int, Callable[[], list[str]]] | None = None,
                 live_marks=None, kept: KeptPages | None = None) -> list[Page]:
    """Every Markdown page of the site, in a fixed order.

    ``coverage`` (the coverage page's facts, or None for no such page) may be a function that gives
    them: it is called only after every page that does not need them, so they can be computed meanwhile.
    ``elsewhere`` is (first, fetch): the pages of the alerts from ``first`` on, in page order, are
    rendered by someone else (``render_alert_pages``), and ``fetch()``, called at the same late point,
    gives their contents. ``kept``: pages rendered by an earlier build of this process, reused when their
    inputs did not change (generate/kept.py).
    """
    env = environment(inventory.base_dir)
    ctx = Context(inventory, site_url=site_url, html_pages=html_pages, live_marks=live_marks)
    first = elsewhere[0] if elsewhere else len(ctx.alerts)
    inputs = kept.inputs(inventory, site_url=site_url, html_pages=html_pages, live_marks=live_marks) if kept else None
    pages: list[Page] = []
    with _template_errors():
        def page(path: str, template: str, title: str, **extra) -> None:
            def render() -> str:
                if callable(extra.get("blank_report")):
                    extra["blank_report"] = extra["blank_report"]()
                return _render(env, ctx, path, template, title, **extra)
            if inputs is None:
                pages.append(Page(path, title, render()))
                return
            alert = extra.get("alert")
            used = inputs.alert_page(alert) if alert is not None else inputs.listing(extra.get("coverage"))
            pages.append(Page(path, title, kept.get("page", path, used + _titled(title), render)))

        page("alerts/index.md", "alert_index.md.j2", "All alerts")
        for alert in ctx.alerts[:first]:
            page(alert_page_path(alert), "alert.md.j2", alert.name, alert=alert)
        severities = len(pages)
        page("severities/index.md", "severities.md.j2", "Severity levels")
        for severity in inventory.severities:
            page(severity_page_path(severity.id), "severity.md.j2", severity.title, severity=severity)
        page("health-checks.md", "health_checks.md.j2", "Health checks")
        page("procedures.md", "procedures.md.j2", "Procedures")
        for procedure in inventory.procedures:
            page(procedure_page_path(procedure.id), "procedure.md.j2", procedure.title, procedure=procedure)
        page("escalation.md", "escalation.md.j2", "Escalation and on-call")
        page("incident-report.md", "incident_template_page.md.j2", "Incident report template",
             template_file=INCIDENT_TEMPLATE_PATH, template_script=download_script_path(INCIDENT_TEMPLATE_PATH),
             blank_report=lambda: render_incident_report(inventory, None, env=env, ctx=ctx))
        if first < len(ctx.alerts):
            pages[severities:severities] = [Page(alert_page_path(a), a.name, content)
                                            for a, content in zip(ctx.alerts[first:], elsewhere[1](), strict=True)]
            for alert, done in zip(ctx.alerts[first:], pages[severities:], strict=False) if inputs else ():
                kept.put("page", done.path, inputs.alert_page(alert) + _titled(done.title), done.content)
        if callable(coverage):
            coverage = coverage()
        page("index.md", "home.md.j2", inventory.service.name, coverage=coverage)
        pages.insert(0, pages.pop())  # the home page comes first
        if coverage is not None:
            page("coverage.md", "coverage.md.j2", "Runbook coverage", coverage=coverage)
    return pages


def _titled(title: str) -> bytes:
    return title.encode("utf-8", "surrogatepass")


def render_alert_pages(inventory: Inventory, first: int, *, site_url: str = "", html_pages: bool = True,
                       live_marks=None) -> list[str]:
    """The pages of the alerts from ``first`` on, in page order: what ``render_pages`` leaves ``elsewhere``."""
    if first >= len(inventory.alerts):  # one process renders them all: no environment, no sorting, for nothing
        return []
    env = environment(inventory.base_dir)
    ctx = Context(inventory, site_url=site_url, html_pages=html_pages, live_marks=live_marks)
    with _template_errors():
        return [_render(env, ctx, alert_page_path(a), "alert.md.j2", a.name, alert=a) for a in ctx.alerts[first:]]


def _render(env: jinja2.Environment, ctx: Context, path: str, template: str, title: str, **extra) -> str:
    """One site page: its Markdown, with the inventory values it shows attached as opaque values (opaque.py)."""
    with opaque.collecting() as values:
        markdown = env.get_template(template).render(ctx=ctx, inv=ctx.inventory, page_path=path, title=title,
                                                     **extra)
    problems = [Problem(value_position(ctx.inventory, value.text, extra.get("coverage")),
                        f"{path}: this value would put active content on the page: {what}")
                for value in values.values for what in unsafe_markup(value.html)]
    if problems:
        raise InputError(problems)
    return values.attach(markdown)


def download_script(path: str, text: str) -> Page:
    """A file offered for download, wrapped in a script: pages opened from file:// cannot fetch files, but
    they can load scripts, and runbookgen.js turns the text into a download."""
    name = path.rpartition("/")[2]
    body = json.dumps({"name": name, "text": text}, ensure_ascii=True).replace("</", "<\\/")
    return Page(download_script_path(path), name, f"window.runbookgenDownload({body});\n")


def render_incident_report(inventory: Inventory, alert: Alert | None, *, started_at: str = "", site_url: str = "",
                           html_pages: bool = True, relative_to: str = "", env: jinja2.Environment | None = None,
                           ctx: Context | None = None) -> str:
    """An incident report prefilled for one alert (blank for None): the site's downloads and
    ``runbookgen incident`` print this.

    The alert's page is linked absolutely when ``site_url`` is known, else relative to ``relative_to``
    (the folder the report is saved in, below the site root).
    """
    env = env or environment(inventory.base_dir)
    ctx = ctx or Context(inventory, site_url=site_url, html_pages=html_pages)
    alert_url = ""
    if alert is not None:
        page = alert_page_path(alert)
        alert_url = ctx.absolute_url(page) or os.path.relpath(ctx.page_url(page), relative_to or ".").replace(os.sep, "/")
    with _template_errors():
        return env.get_template("incident_report.md.j2").render(
            ctx=ctx, inv=inventory, page_path=incident_report_path(alert) if alert else INCIDENT_TEMPLATE_PATH,
            title=f"Incident report: {alert.name}" if alert else "Incident report", alert=alert,
            started_at=started_at, alert_url=alert_url)


def render_incident_reports(inventory: Inventory, *, site_url: str = "", html_pages: bool = True,
                            kept: KeptPages | None = None) -> list[Page]:
    """One prefilled report per alert and the blank template, shipped as downloadable Markdown files beside
    the site's pages, each also as a script (see ``download_script``). ``kept`` as for ``render_pages``."""
    env = environment(inventory.base_dir)
    ctx = Context(inventory, site_url=site_url, html_pages=html_pages)  # one for all: it sorts every alert
    inputs = kept.inputs(inventory, site_url=site_url, html_pages=html_pages) if kept else None

    def report(alert: Alert | None) -> tuple[Page, Page]:
        def render() -> tuple[Page, Page]:
            if alert is None:
                made = Page(INCIDENT_TEMPLATE_PATH, "Incident report",
                            render_incident_report(inventory, None, env=env, ctx=ctx))
            else:
                made = Page(incident_report_path(alert), alert.name,
                            render_incident_report(inventory, alert, site_url=site_url, html_pages=html_pages,
                                                   relative_to="incidents", env=env, ctx=ctx))
            return made, download_script(made.path, made.content)
        if inputs is None:
            return render()
        path = incident_report_path(alert) if alert is not None else INCIDENT_TEMPLATE_PATH
        return kept.get("report", path, inputs.incident_report(alert), render)

    return [page for alert in [None, *ctx.alerts] for page in report(alert)]


def keep_incident_reports(kept: KeptPages, inventory: Inventory, reports: list[Page], *, site_url: str = "",
                          html_pages: bool = True) -> None:
    """Keep what ``render_incident_reports`` gave elsewhere (a forked process), as if it was rendered here."""
    inputs = kept.inputs(inventory, site_url=site_url, html_pages=html_pages)
    alerts = [None, *Context(inventory, site_url=site_url, html_pages=html_pages).alerts]
    for alert, at in zip(alerts, range(0, len(reports), 2), strict=True):
        path = incident_report_path(alert) if alert is not None else INCIDENT_TEMPLATE_PATH
        kept.put("report", path, inputs.incident_report(alert), (reports[at], reports[at + 1]))


class _template_errors:
    """Turn any template failure into a file:line problem."""

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if isinstance(err, jinja2.TemplateError):
            raise InputError([_template_problem(err)]) from None
        if isinstance(err, Exception) and not isinstance(err, InputError) and _template_frame(err):
            # A runtime error inside a template (a user's {{ 1 / 0 }} or {{ x.missing() }}): the author's
            # mistake, reported where it is, not an internal error.
            raise InputError([_template_problem(err)]) from None
        return False


def _template_frame(err: BaseException) -> tuple[str, int] | None:
    """The innermost template (file, line) the traceback passes through, if any."""
    found, tb = None, err.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_problem(err: Exception) -> Problem:
    """Where in which template it failed: syntax errors say so, runtime errors are found in the traceback."""
    file, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    if not file:
        file, line = _template_frame(err) or (None, None)
    file = file or getattr(err, "name", None) or "template"
    if os.path.isabs(file):
        file = os.path.relpath(file)
    if isinstance(err, jinja2.TemplateError):
        what = f"template error: {err.message or err}"
    else:
        what = f"template error: {type(err).__name__}: {err}"
    return Problem(Position(str(file), line or 1, 1), " ".join(what.split()))


def write_pages(pages: list[Page], docs_dir: str) -> None:
    made: set[str] = set()
    for page in pages:
        target = os.path.join(docs_dir, *page.path.split("/"))
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "wb") as handle:
            handle.write(page.content.encode("utf-8"))
