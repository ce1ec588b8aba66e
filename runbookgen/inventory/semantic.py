"""Checks the schema cannot express: references between entries and uniqueness."""

from __future__ import annotations

from runbookgen.inventory.model import TYPE_OF_LANGUAGE, Inventory
from runbookgen.inventory.validate import did_you_mean
from runbookgen.problems import Problem


def semantic_problems(inv: Inventory) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique(inv.severities, lambda s: s.id, "severity id")
    problems += _unique(inv.datasources, lambda d: d.name, "datasource name")
    problems += _unique(inv.procedures, lambda p: p.id, "procedure id")
    problems += _severity_labels(inv)
    problems += _alerts(inv)
    names = {a.name for a in inv.alerts}
    for slo in inv.slos:
        for name in slo.alerts:
            if name not in names:
                problems.append(Problem(slo.pos, f"slo {slo.name!r}: alert {name!r} is not in this inventory"
                                                 f"{did_you_mean(name, names)}"))
    return problems


def _unique(items, key, what: str) -> list[Problem]:
    first: dict = {}
    problems = []
    for item in items:
        value = key(item)
        if value in first:
            problems.append(Problem(item.pos, f"duplicate {what} {value!r} (first defined at "
                                              f"{first[value].pos.file}:{first[value].pos.line})"))
        else:
            first[value] = item
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
            problems.append(Problem(alert.pos, f"{label}: its page name {alert.slug!r} is the same as alert "
                                               f"{other.name!r}'s; rename one of them"))
        if alert.severity not in severity_ids:
            hint = did_you_mean(alert.severity, severity_ids) or f" (known: {', '.join(severity_ids)})"
            problems.append(Problem(alert.where("severity"), f"{label}: unknown severity {alert.severity!r}{hint}"))
        if alert.datasource and not inv.datasource(alert.datasource):
            problems.append(Problem(alert.where("datasource"), f"{label}: unknown datasource "
                                    f"{alert.datasource!r}{did_you_mean(alert.datasource, _ds_names(inv))}"))
        problems += _queries(inv, alert, label)
        for index, name in enumerate(alert.related):
            if name == alert.name:
                problems.append(Problem(alert.where("related", index), f"{label}: an alert cannot be related to itself"))
            elif not inv.alert(name):
                problems.append(Problem(alert.where("related", index), f"{label}: related alert {name!r} is not in "
                                                                      f"this inventory{did_you_mean(name, names)}"))
    return problems


def _ds_names(inv: Inventory) -> list[str]:
    return [d.name for d in inv.datasources]


def _queries(inv: Inventory, alert, label: str) -> list[Problem]:
    problems = _unique([q for q in alert.queries if q.id], lambda q: q.id, f"query id in {label}:")
    ids = [q.id for q in alert.queries if q.id]
    for query in alert.queries:
        if query.datasource_written:
            source = inv.datasource(query.datasource_written)
            if source is None:
                problems.append(Problem(query.pos, f"{label}: query {query.title!r} names unknown datasource "
                                        f"{query.datasource_written!r}{did_you_mean(query.datasource_written, _ds_names(inv))}"))
            elif TYPE_OF_LANGUAGE[query.language] != source.type:
                problems.append(Problem(query.pos, f"{label}: query {query.title!r} is {query.language} but "
                                        f"datasource {source.name!r} is {source.type}"))
    referring = [("investigation", s) for s in alert.investigation]
    referring += [("causes", c) for c in alert.causes]
    for part in ("immediate", "short_term", "long_term"):
        referring += [("mitigation", s) for s in getattr(alert.mitigation, part)]
    referring += [("resolution", s) for s in alert.resolution] + [("verification", s) for s in alert.verification]
    for section, item in referring:
        if item.query and item.query not in ids:
            problems.append(Problem(item.pos, f"{label}: {section} refers to query {item.query!r}, which this "
                                              f"alert does not define{did_you_mean(item.query, ids)}"))
    return problems
