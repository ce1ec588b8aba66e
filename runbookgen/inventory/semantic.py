"""Checks the schema cannot express: references between entries and uniqueness."""

from __future__ import annotations

from runbookgen.inventory.model import TYPE_OF_LANGUAGE, Inventory
from runbookgen.addresses import slugify
from runbookgen.inventory.prose_links import dangling_prose_links
from runbookgen.problems import did_you_mean
from runbookgen.problems import Problem


def semantic_problems(inv: Inventory) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique(inv.severities, lambda s: s.id, "severity id")
    problems += _severity_pages(inv)
    problems += _unique(inv.datasources, lambda d: d.name, "datasource name")
    problems += _unique(inv.procedures, lambda p: p.id, "procedure id")
    problems += _severity_labels(inv)
    problems += _alerts(inv)
    problems += _procedure_queries(inv)
    problems += dangling_prose_links(inv)
    problems += _procedure_references(inv)
    names = {a.name for a in inv.alerts}
    for slo in inv.slos:
        for name, where in zip(slo.alerts, slo.alert_positions):
            if name not in names:
                problems.append(Problem(where, f"slo {slo.name!r}: alert {name!r} is not in this inventory"
                                                 f"{did_you_mean(name, names)}"))
    return problems


def _unique(items, key, what: str, label: str = "") -> list[Problem]:
    first: dict = {}
    problems = []
    for item in items:
        value = key(item)
        if value in first:
            problems.append(Problem(item.pos, f"{label + ': ' if label else ''}duplicate {what} {value!r} (first "
                                              f"defined at {first[value].pos.file}:{first[value].pos.line})"))
        else:
            first[value] = item
    return problems


def _severity_pages(inv: Inventory) -> list[Problem]:
    """Each severity gets a page named after its id: P1 and p1 (or P-1 and P_1) would share one."""
    by_slug: dict = {}
    problems = []
    for sev in inv.severities:
        other = by_slug.setdefault(slugify(sev.id), sev)
        if other.id != sev.id:
            problems.append(Problem(sev.pos, f"severity {sev.id!r}: has the same page name {slugify(sev.id)!r} as "
                                             f"severity {other.id!r} (page names ignore case and punctuation); "
                                             "rename one of them"))
    return problems


def _severity_labels(inv: Inventory) -> list[Problem]:
    owner: dict = {}
    problems = []
    for sev in inv.severities:
        for label in sev.labels:
            if label in owner and owner[label] != sev.id:
                problems.append(Problem(sev.pos, f"severity {sev.id!r}: label value {label!r} already maps to "
                                                 f"severity {owner[label]!r}"))
            owner.setdefault(label, sev.id)
    return problems


def _alerts(inv: Inventory) -> list[Problem]:
    problems = _unique(inv.alerts, lambda a: a.name, "alert name")
    by_slug: dict = {}
    names = [a.name for a in inv.alerts]
    severity_ids = [s.id for s in inv.severities]
    for alert in inv.alerts:
        label = f"alert {alert.name!r}"
        other = by_slug.setdefault(alert.slug, alert)
        if other.name != alert.name:
            problems.append(Problem(alert.where("name"), f"{label}: has the same page name {alert.slug!r} as alert "
                                                         f"{other.name!r} (page names ignore case and punctuation); "
                                                         "rename one of them"))
        if alert.severity not in severity_ids:
            hint = did_you_mean(alert.severity, severity_ids) or f" (known: {', '.join(severity_ids)})"
            problems.append(Problem(alert.where("severity"), f"{label}: unknown severity {alert.severity!r}{hint}"))
        if alert.datasource and not inv.datasource(alert.datasource):
            problems.append(Problem(alert.where("datasource"), f"{label}: unknown datasource "
                                    f"{alert.datasource!r}{_datasource_hint(inv, alert.datasource)}"))
        problems += _queries(inv, alert, label)
        for index, name in enumerate(alert.related):
            if name == alert.name:
                problems.append(Problem(alert.where("related", index), f"{label}: an alert cannot be related to itself"))
            elif not inv.alert(name):
                problems.append(Problem(alert.where("related", index), f"{label}: related alert {name!r} is not in "
                                                                      f"this inventory{did_you_mean(name, names)}"))
    return problems


def _procedure_queries(inv: Inventory) -> list[Problem]:
    """Query ids belong to one alert; a procedure step naming one would be dropped from the page without a word."""
    problems = []
    for proc in inv.procedures:
        for section in ("steps", "verification", "rollback"):
            for step in getattr(proc, section):
                if step.query:
                    problems.append(Problem(step.pos, f"procedure {proc.id!r}: {section} refers to query "
                                                      f"{step.query!r}, but only alerts have queries; put the "
                                                      "expression in the step's command instead"))
    return problems


def _procedure_references(inv: Inventory) -> list[Problem]:
    """Steps may follow a procedure by id; each procedure has a page named after its id, so ids that differ
    only in case or punctuation would share one."""
    ids = [p.id for p in inv.procedures]
    problems = []
    by_slug: dict = {}
    for proc in inv.procedures:
        other = by_slug.setdefault(slugify(proc.id), proc)
        if other.id != proc.id:
            problems.append(Problem(proc.pos, f"procedure {proc.id!r}: has the same page name {slugify(proc.id)!r} "
                                              f"as procedure {other.id!r} (page names ignore case and punctuation); "
                                              "rename one of them"))
    steps = [(f"procedure {p.id!r}", s, s.pos) for p in inv.procedures for s in p.steps + p.verification + p.rollback
             if s.procedure]
    for alert in inv.alerts:
        parts = [(("investigation",), alert.investigation), (("resolution",), alert.resolution),
                 (("verification",), alert.verification)]
        parts += [(("mitigation", k), getattr(alert.mitigation, k)) for k in ("immediate", "short_term", "long_term")]
        steps += [(f"alert {alert.name!r}", s, alert.positions.get(path + (n, "procedure"), s.pos))
                  for path, part in parts for n, s in enumerate(part) if s.procedure]  # a lookup per reference
    for label, step, where in steps:
        if step.procedure and step.procedure not in ids:
            hint = did_you_mean(step.procedure, ids) or (" (no procedures are defined)" if not ids else "")
            problems.append(Problem(where, f"{label}: step refers to procedure {step.procedure!r}, which is "
                                           f"not in this inventory{hint}"))
    return problems


def _datasource_hint(inv: Inventory, name: str) -> str:
    names = [d.name for d in inv.datasources]
    if not names:
        return " (no datasources are defined; add one under datasources)"
    return did_you_mean(name, names) or f" (known: {', '.join(names)})"


def _queries(inv: Inventory, alert, label: str) -> list[Problem]:
    problems = _unique([q for q in alert.queries if q.id], lambda q: q.id, "query id", label)
    ids = [q.id for q in alert.queries if q.id]
    for index, query in enumerate(alert.queries):
        if query.datasource_written:
            source = inv.datasource(query.datasource_written)
            where = alert.where("queries", index, "datasource")
            if source is None:
                hint = _datasource_hint(inv, query.datasource_written)
                problems.append(Problem(where, f"{label}: query {query.title!r} names unknown datasource "
                                               f"{query.datasource_written!r}{hint}"))
            elif TYPE_OF_LANGUAGE[query.language] != source.type:
                problems.append(Problem(where, f"{label}: query {query.title!r} is {query.language} but "
                                               f"datasource {source.name!r} is {source.type}"))
    referring = [(("investigation", n), s) for n, s in enumerate(alert.investigation)]
    referring += [(("causes", n), c) for n, c in enumerate(alert.causes)]
    for part in ("immediate", "short_term", "long_term"):
        referring += [(("mitigation", part, n), s) for n, s in enumerate(getattr(alert.mitigation, part))]
    referring += [(("resolution", n), s) for n, s in enumerate(alert.resolution)]
    referring += [(("verification", n), s) for n, s in enumerate(alert.verification)]
    for path, item in referring:
        if item.query and item.query not in ids:
            where = alert.positions.get(path + ("query",), item.pos)
            problems.append(Problem(where, f"{label}: {path[0]} refers to query {item.query!r}, which this "
                                           f"alert does not define{did_you_mean(item.query, ids)}"))
    return problems
