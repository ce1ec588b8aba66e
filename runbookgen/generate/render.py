"""Render an Inventory into Markdown pages and the site navigation.

Templates live in the package (``runbookgen/templates``); a ``templates/``
folder beside the inventory overrides any of them by file name. Output is a
function of the inventory alone: same inventory, same bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from runbookgen import addresses
from runbookgen.content import opaque
from runbookgen.generate.filters import FILTERS, finalize
from runbookgen.content.html_safety import unsafe_markup
from runbookgen.generate.value_sources import value_position
from runbookgen.inventory.model import Alert, Inventory, Query
from runbookgen.problems import InputError, Position, Problem
from runbookgen.queries.links import explore_url, explore_window, prometheus_graph_url
from runbookgen.usercache import keep_compiled_templates

TEMPLATE_DIR_NAME = "templates"
_COLORS = ("red", "orange", "yellow", "blue", "grey")
FIRST_INVESTIGATION_STEPS = 2
"""Without immediate mitigation steps, the first-response block lists this many investigation steps."""


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs_dir, with forward slashes
    title: str
    content: str


def alert_page_path(alert_or_name) -> str:
    return addresses.alert_docs_path(alert_or_name.name if isinstance(alert_or_name, Alert) else alert_or_name)


severity_page_path = addresses.severity_docs_path
procedure_page_path = addresses.procedure_docs_path


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


class Context:
    """What templates may ask of the inventory; the logic stays here, the layout in templates."""

    def __init__(self, inventory: Inventory, *, site_url: str = "", html_pages: bool = True, live_marks=None):
        self.inventory = inventory
        self._live_marks = {}  # id(query) -> its runbookgen.live.results.QueryMark, when for this very expression
        for alert in inventory.alerts if live_marks else ():
            for index, query in enumerate(alert.queries):
                mark = live_marks.get((alert.name, index))
                if mark is not None and mark.expr == query.expr:
                    self._live_marks[id(query)] = mark
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.html_pages = html_pages
        order = {s.id: n for n, s in enumerate(inventory.severities)}
        self.alerts = sorted(inventory.alerts, key=lambda a: (order.get(a.severity, len(order)), a.name.lower(), a.name))
        self._links: dict[tuple, str] = {}  # a query's links appear up to three times on its alert's page
        self._query_alerts: dict | None = None  # id(query) -> (query, its alert), see window()

    def severity(self, alert: Alert):
        return self.inventory.severity(alert.severity)

    def live_mark(self, query: Query):
        """The last live result of a runbook query (build --live-results), or None."""
        return self._live_marks.get(id(query))

    def color(self, severity_id: str) -> str:
        sev = self.inventory.severity(severity_id)
        if sev and sev.color:
            return sev.color
        index = [s.id for s in self.inventory.severities].index(severity_id) if sev else len(_COLORS) - 1
        return _COLORS[min(index, len(_COLORS) - 1)]

    def alerts_of(self, severity_id: str) -> list[Alert]:
        return [a for a in self.alerts if a.severity == severity_id]

    def escalation(self, alert: Alert):
        """Who to call for this alert: its own path, else its severity's, else the service's when it pages
        (or its severity says ``escalation: service``); a non-paging alert does not inherit the paging chain."""
        return self.escalation_of(alert)[0]

    def escalation_of(self, alert: Alert) -> tuple[tuple, str]:
        """(contacts, where they come from: "alert", "severity", "service" or "" for none)."""
        if alert.escalation:
            return alert.escalation, "alert"
        sev = self.severity(alert)
        if sev and sev.escalation:
            return sev.escalation, "severity"
        if sev is None or sev.pages or sev.service_escalation:
            return self.inventory.service.escalation, "service" if self.inventory.service.escalation else ""
        return (), ""

    @staticmethod
    def name_parts(name: str) -> list[str]:
        """An alert name cut where a line may break on a narrow screen: before each capital that starts a
        word (CheckoutDiskSpaceLow -> Checkout Disk Space Low) and after _ : -."""
        return [part for part in re.split(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[_:-])", name) if part]

    def alert_page(self, alert_or_name) -> str:
        return alert_page_path(alert_or_name)

    def procedure(self, procedure_id: str):
        return next((p for p in self.inventory.procedures if p.id == procedure_id), None)

    def alerts_following(self, procedure) -> list[Alert]:
        """The alerts with a step that follows this procedure, in page order."""
        def steps(a: Alert):
            return (a.investigation + a.mitigation.immediate + a.mitigation.short_term + a.mitigation.long_term
                    + a.resolution + a.verification)
        return [a for a in self.alerts if any(s.procedure == procedure.id for s in steps(a))]

    def procedure_page(self, procedure_or_id) -> str:
        return procedure_page_path(getattr(procedure_or_id, "id", procedure_or_id))

    def incident_file(self, alert: Alert) -> str:
        return incident_report_path(alert)

    def incident_script(self, alert: Alert) -> str:
        """The same report as a script, so that the page can offer it for download from file:// too."""
        return download_script_path(incident_report_path(alert))

    def first_steps(self, alert: Alert) -> tuple[str, tuple]:
        """What the first-response block lists: the immediate mitigation, else the start of the investigation."""
        if alert.mitigation.immediate:
            return "immediate", alert.mitigation.immediate
        return "investigation", alert.investigation[:FIRST_INVESTIGATION_STEPS]

    def query_shown(self, alert: Alert) -> dict:
        """Where each of the alert's queries is shown in full: {query id: (section, step index)} of its first
        use in page order; later uses only name it and link to Explore."""
        key = ("shown", alert.name)
        if key not in self._links:
            first_section, _ = self.first_steps(alert)
            order = [(first_section, self.first_steps(alert)[1]), ("investigation", alert.investigation),
                     ("causes", alert.causes), ("short_term", alert.mitigation.short_term),
                     ("long_term", alert.mitigation.long_term), ("resolution", alert.resolution),
                     ("verification", alert.verification)]
            shown: dict = {}
            for section, items in order:
                for index, item in enumerate(items):
                    if item.query and item.query not in shown:
                        shown[item.query] = (section, index)
            self._links[key] = shown
        return self._links[key]

    def shows_query(self, alert: Alert, section: str, index: int, query_id: str) -> bool:
        return self.query_shown(alert).get(query_id) == (section, index)

    def unused_queries(self, alert: Alert) -> list[Query]:
        """Queries no step or cause uses: listed on their own after the investigation."""
        used = self.query_shown(alert)
        return [q for q in alert.queries if not q.id or q.id not in used]

    def owner(self, alert: Alert) -> str:
        return alert.owner or self.inventory.service.team

    def severity_page(self, severity_id: str) -> str:
        return severity_page_path(severity_id)

    def owners(self) -> list[str]:
        return sorted({self.owner(a) for a in self.alerts} - {""})

    def tags(self) -> list[str]:
        return sorted({t for a in self.alerts for t in a.tags})

    def procedures_of(self, kind: str) -> list:
        return [p for p in self.inventory.procedures if p.kind == kind]

    def alerts_with_own_escalation(self) -> list[Alert]:
        return [a for a in self.alerts if a.escalation]

    def drafts(self) -> list[Alert]:
        return [a for a in self.alerts if a.status == "draft"]

    def by_review_date(self) -> list[Alert]:
        """Never reviewed first, then oldest review first."""
        return sorted(self.alerts, key=lambda a: (a.last_reviewed is not None, a.last_reviewed or 0, a.name))

    def mitigation_sections(self, alert: Alert) -> list[tuple[str, tuple]]:
        parts = [("Immediately", alert.mitigation.immediate), ("Short term", alert.mitigation.short_term),
                 ("Long term", alert.mitigation.long_term)]
        return [(label, steps) for label, steps in parts if steps]

    def query(self, alert: Alert, query_id: str) -> Query | None:
        return next((q for q in alert.queries if q.id == query_id), None)

    def window(self, query: Query) -> str:
        """How far back the query's links look: its own explore_range, its alert's, else one fitted to the
        alert's ``for`` and the query's ranges."""
        alert = self._alert_of_query().get(id(query), (None, None))[1]
        return explore_window(query.expr, alert_for=alert.for_ if alert else "",
                              explicit=query.explore_range or (alert.explore_range if alert else ""))

    def _alert_of_query(self) -> dict:
        if self._query_alerts is None:  # by identity: two alerts may hold equal queries; the query is kept alive
            self._query_alerts = {id(q): (q, a) for a in self.inventory.alerts for q in a.queries}
        return self._query_alerts

    def explore(self, query: Query) -> str:
        window = self.window(query)
        key = ("explore", query.datasource, query.expr, query.language, window)
        if key not in self._links:
            source = self.inventory.datasource(query.datasource) if query.datasource else None
            self._links[key] = explore_url(self.inventory.grafana_url, source.type, source.uid, query.expr,
                                           org_id=self.inventory.grafana_org_id,
                                           language=query.language, window=window) if source else ""
        return self._links[key]

    def prometheus(self, query: Query) -> str:
        window = self.window(query)
        key = ("prometheus", query.datasource, query.expr, window)
        if key not in self._links:
            source = self.inventory.datasource(query.datasource) if query.datasource else None
            self._links[key] = prometheus_graph_url(source.url, query.expr, range_input=window) \
                if source and source.type == "prometheus" else ""
        return self._links[key]

    def health_query(self, check) -> Query:
        """A PromQL or LogQL health check as a query, so it gets the same Explore links."""
        language = check.kind if check.kind in ("promql", "logql") else "promql"
        wanted = {"promql": "prometheus", "logql": "loki"}[language]
        source = next((d for d in self.inventory.datasources if d.type == wanted), None)
        return Query(title=check.name, expr=check.query, language=language, pos=check.pos,
                     datasource=source.name if source else "")

    def rule_query(self, alert: Alert) -> Query | None:
        """The alert's own expression as a query, for the quick links."""
        if not alert.expr:
            return None
        source = self.inventory.datasource(alert.datasource) if alert.datasource else None
        if source is None:
            source = next((d for d in self.inventory.datasources if d.type == "prometheus"), None)
        language = {"loki": "logql"}.get(source.type if source else "", "promql")
        rule = Query(title="Alert rule expression", expr=alert.expr, language=language, pos=alert.pos,
                     datasource=source.name if source else "")
        self._alert_of_query()[id(rule)] = (rule, alert)  # its links fit the alert's for and explore_range
        return rule

    def built_path(self, page: str) -> str:
        """Where mkdocs writes a page: ``a/b.md`` -> ``a/b.html``, or ``a/b/index.html`` with directory URLs."""
        return addresses.built_path(page, html_pages=self.html_pages)

    def page_url(self, page: str) -> str:
        """The page's address below the site root, as a browser sees it."""
        return addresses.page_url(page, html_pages=self.html_pages)

    def absolute_url(self, page: str) -> str:
        return self.site_url + self.page_url(page) if self.site_url else ""

    def href(self, from_page: str, to_file: str) -> str:
        """A relative link for raw HTML, which mkdocs does not rewrite: from a page to any built file."""
        return relative_path(to_file, self.built_path(from_page).rpartition("/")[0])

    def link(self, from_page: str, to_page: str) -> str:
        """A relative link between two generated pages (mkdocs resolves .md links)."""
        return relative_path(to_page, from_page.rpartition("/")[0])


relative_path = addresses.relative_path


def render_pages(inventory: Inventory, *, site_url: str = "", html_pages: bool = True,
                 coverage=None, elsewhere: tuple[int, Callable[[], list[str]]] | None = None,
                 live_marks=None) -> list[Page]:
    """Every Markdown page of the site, in a fixed order.

    ``coverage`` (the coverage page's facts, or None for no such page) may be a function that gives
    them: it is called only after every page that does not need them, so they can be computed meanwhile.
    ``elsewhere`` is (first, fetch): the pages of the alerts from ``first`` on, in page order, are
    rendered by someone else (``render_alert_pages``), and ``fetch()``, called at the same late point,
    gives their contents.
    """
    env = environment(inventory.base_dir)
    ctx = Context(inventory, site_url=site_url, html_pages=html_pages, live_marks=live_marks)
    first = elsewhere[0] if elsewhere else len(ctx.alerts)
    pages: list[Page] = []
    with _template_errors():
        def page(path: str, template: str, title: str, **extra) -> None:
            pages.append(Page(path, title, _render(env, ctx, path, template, title, **extra)))

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
             blank_report=render_incident_report(inventory, None, env=env, ctx=ctx))
        if first < len(ctx.alerts):
            pages[severities:severities] = [Page(alert_page_path(a), a.name, content)
                                            for a, content in zip(ctx.alerts[first:], elsewhere[1](), strict=True)]
        if callable(coverage):
            coverage = coverage()
        page("index.md", "home.md.j2", inventory.service.name, coverage=coverage)
        pages.insert(0, pages.pop())  # the home page comes first
        if coverage is not None:
            page("coverage.md", "coverage.md.j2", "Runbook coverage", coverage=coverage)
    return pages


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


def incident_report_path(alert: Alert) -> str:
    return addresses.incident_report_path(alert.name)


INCIDENT_TEMPLATE_PATH = addresses.INCIDENT_TEMPLATE_PATH


def download_script_path(path: str) -> str:
    return path + ".js"


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


def render_incident_reports(inventory: Inventory, *, site_url: str = "", html_pages: bool = True) -> list[Page]:
    """One prefilled report per alert and the blank template, shipped as downloadable Markdown files beside
    the site's pages, each also as a script (see ``download_script``)."""
    env = environment(inventory.base_dir)
    ctx = Context(inventory, site_url=site_url, html_pages=html_pages)  # one for all: it sorts every alert
    reports = [Page(INCIDENT_TEMPLATE_PATH, "Incident report", render_incident_report(inventory, None, env=env, ctx=ctx))]
    reports += [Page(incident_report_path(a), a.name,
                     render_incident_report(inventory, a, site_url=site_url, html_pages=html_pages,
                                            relative_to="incidents", env=env, ctx=ctx))
                for a in ctx.alerts]
    return [page for report in reports for page in (report, download_script(report.path, report.content))]


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
