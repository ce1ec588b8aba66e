"""What the templates ask about the inventory: an alert's severity, owner, escalation, first steps, queries
and their links, and the addresses of pages, as one ``Context`` per build (its answers are kept)."""

from __future__ import annotations

import json
import re

from runbookgen import addresses
from runbookgen.inventory.model import Alert, Inventory, Query
from runbookgen.queries.links import SLOT, explore_url, explore_window, link_template, prometheus_graph_url

_COLORS = ("red", "orange", "yellow", "blue", "grey")
FIRST_INVESTIGATION_STEPS = 2
"""Without immediate mitigation steps, the first-response block lists this many investigation steps."""


def alert_page_path(alert_or_name) -> str:
    return addresses.alert_docs_path(alert_or_name.name if isinstance(alert_or_name, Alert) else alert_or_name)


severity_page_path = addresses.severity_docs_path
procedure_page_path = addresses.procedure_docs_path


relative_path = addresses.relative_path


def incident_report_path(alert: Alert) -> str:
    return addresses.incident_report_path(alert.name)


INCIDENT_TEMPLATE_PATH = addresses.INCIDENT_TEMPLATE_PATH


def download_script_path(path: str) -> str:
    return path + ".js"


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

    def link_slot(self, query: Query) -> dict | None:
        """Where the links of a query on its alert's page come from: ``q``, the query's key on the page (the
        page's script reads the expression from the code block of the first title with that key), and ``t``,
        the indexes of its links in ``link_table(alert)``. None for a query of no alert (its links are written
        out in full) or without links."""
        owner = self._alert_of_query().get(id(query))
        if owner is None:
            return None
        alert = owner[1]
        table = self.link_table(alert)
        wanted = [self._template(query, kind) for kind in ("explore", "prometheus")]
        indexes = [str(table.index(entry)) for entry in wanted if entry is not None]
        if not indexes:
            return None
        key = next((str(n) for n, q in enumerate(alert.queries) if q is query), "r")
        return {"q": key, "t": " ".join(indexes)}

    def link_table(self, alert: Alert) -> list[list[str]]:
        """The distinct link templates of an alert's page, each ``[kind, before, after, encoding, datasource]``:
        a query's link is ``before`` + its expression encoded as ``encoding`` says + ``after`` (queries/links.py
        ``link_template``). Written once per page, so a query costs its code block, not kilobytes of URL."""
        key = ("table", alert.name)
        if key not in self._links:
            rule = self.rule_query(alert)
            entries: list[list[str]] = []
            for query in ([rule] if rule else []) + list(alert.queries):
                for kind in ("explore", "prometheus"):
                    entry = self._template(query, kind)
                    if entry is not None and entry not in entries:
                        entries.append(entry)
            self._links[key] = entries
        return self._links[key]

    def link_table_json(self, alert: Alert) -> str:
        return json.dumps(self.link_table(alert), separators=(",", ":"))

    def _template(self, query: Query, kind: str) -> list[str] | None:
        from runbookgen.generate.filters import url

        placeholder = Query(title=query.title, expr=SLOT, language=query.language, pos=query.pos,
                            datasource=query.datasource, explore_range=self.window(query))
        full = self.explore(placeholder) if kind == "explore" else self.prometheus(placeholder)
        how = "json" if kind == "explore" else "raw"
        parts = link_template(str(url(full)), how) if full else None
        return [kind, parts[0], parts[1], how, query.datasource] if parts else None

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
