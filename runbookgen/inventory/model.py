"""The inventory as typed, immutable objects that remember where they were written.

Built only from a document that passed the schema, so field types can be trusted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from runbookgen.addresses import slugify
from runbookgen.inventory.positions import AlertPositions, PositionTable
from runbookgen.problems import Position
from runbookgen.rulers import pattern_of
from runbookgen.yamlread.document import YamlDocument
from runbookgen.yamlread.layout import position_in_scalar, scalar_layout_in

LANGUAGE_OF_TYPE = {"prometheus": "promql", "loki": "logql", "tempo": "traceql"}
TYPE_OF_LANGUAGE = {v: k for k, v in LANGUAGE_OF_TYPE.items()}


_NOT_IN_NAMES = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"  # controls, invisible marks
ALERT_NAME = re.compile(rf"[^\s{_NOT_IN_NAMES}]([^{_NOT_IN_NAMES}]*[^\s{_NOT_IN_NAMES}])?")  # the schema's alert_name
MAX_ALERT_NAME = 256


def is_alert_name(name: str) -> bool:
    """A name the inventory accepts: what Prometheus accepts (any text) without control characters, invisible
    formatting characters (a right-to-left override could make a page lie about its alert) or surrounding
    spaces, at most MAX_ALERT_NAME characters."""
    return len(name) <= MAX_ALERT_NAME and ALERT_NAME.fullmatch(name) is not None


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    pos: Position


@dataclass(frozen=True)
class Contact:
    name: str
    pos: Position
    role: str = ""
    contact: str = ""
    url: str = ""
    after: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Step:
    text: str
    pos: Position
    command: str = ""
    query: str = ""
    expect: str = ""
    procedure: str = ""  # the id of a procedure this step follows


@dataclass(frozen=True)
class Datasource:
    name: str
    type: str
    pos: Position
    uid: str = ""
    url: str = ""


@dataclass(frozen=True)
class Query:
    title: str
    expr: str
    language: str
    pos: Position
    id: str = ""
    datasource: str = ""  # the resolved datasource name, "" when none is defined
    datasource_written: str = ""  # as the author wrote it, for error messages
    description: str = ""
    explore_range: str = ""  # how far back its Explore/graph links look; "" derives it (queries/links.py)


@dataclass(frozen=True)
class Cause:
    cause: str
    pos: Position
    confirm: str = ""
    command: str = ""
    query: str = ""


@dataclass(frozen=True)
class Mitigation:
    immediate: tuple[Step, ...] = ()
    short_term: tuple[Step, ...] = ()
    long_term: tuple[Step, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.immediate or self.short_term or self.long_term)


@dataclass(frozen=True)
class Severity:
    id: str
    pos: Position
    name: str = ""
    description: str = ""
    response_time: str = ""
    pages: bool = False
    examples: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    color: str = ""
    escalation: tuple[Contact, ...] = ()  # this level's own path, for alerts without one
    service_escalation: bool = False  # `escalation: service`: use the service's path even when it does not page

    @property
    def title(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Alert:
    name: str
    severity: str
    summary: str
    pos: Position
    description: str = ""
    impact: str = ""
    expr: str = ""
    for_: str = ""
    keep_firing_for: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    datasource: str = ""
    explore_range: str = ""  # the default of its queries' explore_range
    owner: str = ""
    dashboards: tuple[Link, ...] = ()
    links: tuple[Link, ...] = ()
    queries: tuple[Query, ...] = ()
    investigation: tuple[Step, ...] = ()
    causes: tuple[Cause, ...] = ()
    mitigation: Mitigation = Mitigation()
    resolution: tuple[Step, ...] = ()
    verification: tuple[Step, ...] = ()
    escalation: tuple[Contact, ...] = ()
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    last_reviewed: dt.date | None = None
    status: str = "active"
    runbook_url: str = ""  # the runbook lives at this address instead of on the site
    annotations: tuple[tuple[str, str], ...] = ()  # the rule's other annotations (for export-rules)
    group: tuple = ()  # the rule group, as sorted (key, value) pairs; labels as sorted pairs too (for export-rules)
    variants: tuple = ()  # other rules of this name, each as sorted (key, value) pairs like group (for export-rules)
    # path below the alert -> Position: a view onto the inventory's one table (inventory.positions)
    positions: AlertPositions | dict = field(default_factory=dict, compare=False, repr=False)
    layouts: dict = field(default_factory=dict, compare=False, repr=False)  # query fields -> scalar_layout

    @property
    def slug(self) -> str:
        return slugify(self.name)

    def where(self, *keys) -> Position:
        """Position of one of this alert's fields (``alert.where('related', 2)``), else of the alert."""
        return self.positions.get(keys, self.pos)

    def where_in(self, keys: tuple, line: int, col: int) -> Position:
        """Where ``line``:``col`` (1-based) inside the text of a field such as ``("expr",)`` is in the file,
        when the field's layout can be followed; else where the field starts."""
        return position_in_scalar(self.layouts.get(keys, ()), self.where(*keys), line, col)


@dataclass(frozen=True)
class HealthCheck:
    name: str
    kind: str
    expect: str
    pos: Position
    component: str = ""
    endpoint: str = ""
    command: str = ""
    query: str = ""
    interval: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    steps: tuple[Step, ...]
    pos: Position
    kind: str = "procedure"
    cadence: str = ""
    description: str = ""
    verification: tuple[Step, ...] = ()
    rollback: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Slo:
    name: str
    objective: float
    pos: Position
    sli: str = ""
    window: str = ""
    alerts: tuple[str, ...] = ()
    description: str = ""
    alert_positions: tuple[Position, ...] = ()


@dataclass(frozen=True)
class Oncall:
    rotation: str = ""
    schedule_url: str = ""
    handoff: str = ""
    responsibilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    name: str
    pos: Position
    description: str = ""
    team: str = ""
    owners: tuple[str, ...] = ()
    repository: str = ""
    links: tuple[Link, ...] = ()
    dashboards: tuple[Link, ...] = ()
    escalation: tuple[Contact, ...] = ()
    oncall: Oncall = Oncall()


@dataclass(frozen=True)
class Waiver:
    alert: str
    check: str
    reason: str
    expires: dt.date
    pos: Position


@dataclass(frozen=True)
class LiveServer:
    """``lint.prometheus``: a server the live checks ask (secrets only by environment variable name)."""

    pos: Position
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    bearer_token_env: str = ""
    timeout: str = "30s"
    concurrency: int = 4
    lookback: str = "1d"
    datasources: tuple[str, ...] = ()  # only the runbook queries of these; () for all
    positions: dict = field(default_factory=dict, compare=False, repr=False)  # key -> Position of its value


@dataclass(frozen=True)
class LintSettings:
    rules: tuple[str, ...] = ()  # rule paths, a named ruler as a ``ruler:`` prefix (see rules.rulers)
    runbook_url: str = ""
    severity_label: str = "severity"
    stale_after: str = "180d"
    exempt_severities: tuple[str, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    waivers: tuple[Waiver, ...] = ()
    pos: Position | None = None
    prometheus: LiveServer | None = None  # lint.prometheus with a server to ask (url, headers, ...)
    prometheus_version: int = 3  # lint.prometheus.version: the Prometheus queries are checked for
    prometheus_features: tuple[str, ...] = ()
    loki_version: int = 3  # lint.loki: the Loki queries are checked for


@dataclass(frozen=True)
class Inventory:
    path: str
    service: Service
    severities: tuple[Severity, ...]
    alerts: tuple[Alert, ...]
    datasources: tuple[Datasource, ...] = ()
    grafana_url: str = ""
    grafana_org_id: int = 1
    health_checks: tuple[HealthCheck, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    slos: tuple[Slo, ...] = ()
    lint: LintSettings = LintSettings()
    severities_defaulted: bool = False
    # What the loader read, for the build cache: (absolute path, digest) of every file; (folder, pattern,
    # matches) of every include glob. And, when loaded for lint, (later entry, first entry) of each alert
    # name defined twice.
    sources: tuple = ()
    globs: tuple = ()
    duplicates: tuple = ()

    @property
    def base_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def alert(self, name: str) -> Alert | None:
        return self._alerts_by_name().get(name)

    def severity(self, id_: str) -> Severity | None:
        return next((s for s in self.severities if s.id == id_), None)

    def datasource(self, name: str) -> Datasource | None:
        return next((d for d in self.datasources if d.name == name), None)

    def _alerts_by_name(self) -> dict:
        cached = self.__dict__.get("_by_name")
        if cached is None:
            cached = {}
            for alert in self.alerts:
                cached.setdefault(alert.name, alert)
            object.__setattr__(self, "_by_name", cached)
        return cached


DEFAULT_SEVERITIES = (
    dict(id="critical", name="Critical", pages=True, response_time="15m", labels=["critical", "page"], color="red",
         description="Users are affected now or will be within the hour. Page the on-call engineer."),
    dict(id="warning", name="Warning", pages=False, response_time="1d", labels=["warning"], color="orange",
         description="Something degrades or will fail if left alone. Handle in working hours."),
    dict(id="info", name="Info", pages=False, response_time="1w", labels=["info"], color="blue",
         description="Worth knowing; no action needed unless it persists."),
)


class _Builder:
    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.table = PositionTable(doc.positions)  # shared by every alert: looked up per finding, never copied
        self._lines: list[str] | None = None  # the document's text split at newlines, once

    def alert_positions(self, index: int) -> AlertPositions:
        """Positions inside alerts[index], keyed by the path below the alert."""
        return AlertPositions(self.table, ("alerts", index))

    def pos(self, path: tuple) -> Position:
        found = self.doc.positions.get(path)  # nearly always there: the nearest ancestor's position otherwise
        return found if found is not None else self.doc.where(tuple(path))

    def query_layouts(self, item, positions: AlertPositions) -> dict:
        """The layouts of an alert's expr and query texts, for positions inside them (see scalar_layout)."""
        keys = [("expr",)] * bool(item.get("expr"))
        keys += [("queries", n, "expr") for n in range(len(item.get("queries") or ()))]
        found = [(k, positions.get(k)) for k in keys] if self.doc.text else []
        found = [(k, where) for k, where in found if where is not None and where.file == self.doc.file]
        if found and self._lines is None:
            self._lines = self.doc.text.split("\n")
        return {k: scalar_layout_in(self._lines, where) for k, where in found}

    def links(self, items, path):
        return tuple(Link(i["title"], i["url"], self.pos(path + (n,))) for n, i in enumerate(items or ()))

    def contacts(self, items, path):
        return tuple(Contact(pos=self.pos(path + (n,)), **{k: str(v) for k, v in i.items()})
                     for n, i in enumerate(items or ()))

    def steps(self, items, path):
        out = []
        for n, item in enumerate(items or ()):
            where = self.pos(path + (n,))
            if isinstance(item, str):
                out.append(Step(item, where))
            else:
                out.append(Step(item["step"], where, item.get("command", ""), item.get("query", ""),
                                item.get("expect", ""), item.get("procedure", "")))
        return tuple(out)

    def severity(self, item, path):
        escalation = item.get("escalation")
        return Severity(pos=self.pos(path), id=item["id"], name=item.get("name", ""),
                        description=item.get("description", ""), response_time=item.get("response_time", ""),
                        pages=bool(item.get("pages", False)), examples=tuple(item.get("examples", ())),
                        labels=tuple(item.get("labels", ())), color=item.get("color", ""),
                        escalation=self.contacts(escalation, path + ("escalation",)) if isinstance(escalation, list)
                        else (), service_escalation=escalation == "service")

    def query(self, item, path, datasources):
        written = item.get("datasource", "")
        language = item.get("language", "")
        source = next((d for d in datasources if d.name == written), None) if written else None
        if source and not language:
            language = LANGUAGE_OF_TYPE[source.type]
        language = language or "promql"
        if source is None and not written:
            wanted = TYPE_OF_LANGUAGE[language]
            source = next((d for d in datasources if d.type == wanted), None)
        return Query(title=item["title"], expr=item["expr"], language=language, pos=self.pos(path),
                     id=item.get("id", ""), datasource=source.name if source else "",
                     datasource_written=written, description=item.get("description", ""),
                     explore_range=item.get("explore_range", ""))

    def alert(self, item, path, datasources):
        positions = self.alert_positions(path[1])
        mitigation = item.get("mitigation", {})
        reviewed = item.get("last_reviewed")
        return Alert(
            name=item["name"], severity=item["severity"], summary=item["summary"], pos=self.pos(path),
            description=item.get("description", ""), impact=item.get("impact", ""), expr=item.get("expr", ""),
            for_=item.get("for", ""), keep_firing_for=item.get("keep_firing_for", ""),
            labels=tuple(sorted(item.get("labels", {}).items())), datasource=item.get("datasource", ""),
            explore_range=item.get("explore_range", ""),
            owner=item.get("owner", ""), dashboards=self.links(item.get("dashboards"), path + ("dashboards",)),
            links=self.links(item.get("links"), path + ("links",)),
            queries=tuple(self.query(q, path + ("queries", n), datasources)
                          for n, q in enumerate(item.get("queries", ()))),
            investigation=self.steps(item.get("investigation"), path + ("investigation",)),
            causes=tuple(Cause(c["cause"], self.pos(path + ("causes", n)), c.get("confirm", ""),
                               c.get("command", ""), c.get("query", ""))
                         for n, c in enumerate(item.get("causes", ()))),
            mitigation=Mitigation(*(self.steps(mitigation.get(k), path + ("mitigation", k))
                                    for k in ("immediate", "short_term", "long_term"))),
            resolution=self.steps(item.get("resolution"), path + ("resolution",)),
            verification=self.steps(item.get("verification"), path + ("verification",)),
            escalation=self.contacts(item.get("escalation"), path + ("escalation",)),
            related=tuple(item.get("related", ())), tags=tuple(item.get("tags", ())),
            last_reviewed=dt.date.fromisoformat(reviewed) if reviewed else None,
            status=item.get("status", "active"), runbook_url=item.get("runbook_url", ""),
            annotations=tuple(sorted(item.get("annotations", {}).items())),
            group=_pairs(item.get("group", {})),
            variants=tuple(_pairs(v) for v in item.get("variants", ())),
            positions=positions, layouts=self.query_layouts(item, positions),
        )


def _pairs(mapping: dict) -> tuple:
    """A mapping as sorted (key, value) pairs, nested mappings too: hashable, and ``dict()`` gives it back."""
    return tuple(sorted((k, _pairs(v) if isinstance(v, dict) else v) for k, v in mapping.items()))


def build_inventory(doc: YamlDocument, path: str) -> Inventory:
    """Turn a schema-valid document into an ``Inventory``."""
    data = doc.data
    b = _Builder(doc)
    svc = data["service"]
    oncall = svc.get("oncall", {})
    service = Service(
        name=svc["name"], pos=b.pos(("service",)), description=svc.get("description", ""),
        team=svc.get("team", ""), owners=tuple(svc.get("owners", ())), repository=svc.get("repository", ""),
        links=b.links(svc.get("links"), ("service", "links")),
        dashboards=b.links(svc.get("dashboards"), ("service", "dashboards")),
        escalation=b.contacts(svc.get("escalation"), ("service", "escalation")),
        oncall=Oncall(oncall.get("rotation", ""), oncall.get("schedule_url", ""), oncall.get("handoff", ""),
                      tuple(oncall.get("responsibilities", ()))),
    )
    datasources = tuple(Datasource(d["name"], d["type"], b.pos(("datasources", n)), d.get("uid", ""),
                                   d.get("url", "")) for n, d in enumerate(data.get("datasources", ())))
    raw_severities = data.get("severities")
    defaulted = not raw_severities
    if defaulted:
        severities = tuple(b.severity(s, ("severities",)) for s in DEFAULT_SEVERITIES)
    else:
        severities = tuple(b.severity(s, ("severities", n)) for n, s in enumerate(raw_severities))
    lint = data.get("lint", {})
    grafana = data.get("grafana", {})
    return Inventory(
        path=path, service=service, severities=severities, severities_defaulted=defaulted,
        datasources=datasources, grafana_url=grafana.get("url", ""), grafana_org_id=grafana.get("org_id", 1),
        alerts=tuple(b.alert(a, ("alerts", n), datasources) for n, a in enumerate(data.get("alerts", ()))),
        health_checks=tuple(
            HealthCheck(pos=b.pos(("health_checks", n)), **{k: v for k, v in h.items()})
            for n, h in enumerate(data.get("health_checks", ()))),
        procedures=tuple(
            Procedure(id=p["id"], title=p["title"], steps=b.steps(p["steps"], ("procedures", n, "steps")),
                      pos=b.pos(("procedures", n)), kind=p.get("kind", "procedure"), cadence=p.get("cadence", ""),
                      description=p.get("description", ""),
                      verification=b.steps(p.get("verification"), ("procedures", n, "verification")),
                      rollback=b.steps(p.get("rollback"), ("procedures", n, "rollback")))
            for n, p in enumerate(data.get("procedures", ()))),
        slos=tuple(Slo(name=s["name"], objective=s["objective"], pos=b.pos(("slos", n)), sli=s.get("sli", ""),
                       window=s.get("window", ""), alerts=tuple(s.get("alerts", ())),
                       description=s.get("description", ""),
                       alert_positions=tuple(b.pos(("slos", n, "alerts", i)) for i in range(len(s.get("alerts", ())))))
                   for n, s in enumerate(data.get("slos", ()))),
        lint=LintSettings(
            rules=tuple(pattern_of(entry) for entry in lint.get("rules", ())),
            runbook_url=lint.get("runbook_url", ""),
            severity_label=lint.get("severity_label", "severity"), stale_after=lint.get("stale_after", "180d"),
            exempt_severities=tuple(lint.get("exempt_severities", ())),
            checks=tuple(sorted((k, "off" if v is False else v) for k, v in lint.get("checks", {}).items())),
            waivers=tuple(Waiver(w["alert"], w["check"], w["reason"], dt.date.fromisoformat(w["expires"]),
                                 b.pos(("lint", "waivers", n)))
                          for n, w in enumerate(lint.get("waivers", ()))),
            pos=b.pos(("lint",)) if "lint" in data else None,
            prometheus=_live_server(b, lint["prometheus"], ("lint", "prometheus")) if "prometheus" in lint else None,
            prometheus_version=lint.get("prometheus", {}).get("version", 3),
            prometheus_features=tuple(sorted(set(lint.get("prometheus", {}).get("features", ())))),
            loki_version=lint.get("loki", {}).get("version", 3),
        ),
    )


def _live_server(b: _Builder, item: dict, path: tuple) -> LiveServer:
    return LiveServer(pos=b.pos(path), url=item.get("url", ""), headers=tuple(sorted(item.get("headers", {}).items())),
                      bearer_token_env=item.get("bearer_token_env", ""), timeout=item.get("timeout", "30s"),
                      concurrency=item.get("concurrency", 4), lookback=item.get("lookback", "1d"),
                      datasources=tuple(item.get("datasources", ())),
                      positions={key: b.pos(path + (key,)) for key in item if key not in ("version", "features")})
