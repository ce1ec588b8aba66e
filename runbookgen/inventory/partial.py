"""Cross-check the valid part of an inventory whose schema check failed, so every mistake shows at once.

A schema error in one alert must not hide a broken reference in another. Entries
with schema errors are replaced by minimal stand-ins that keep the list positions
(and the entry's name or id, when that is valid, so references to it still resolve);
the cross-checks then run, and any problem located inside a replaced entry is dropped,
because its own schema error already speaks for it.
"""

from __future__ import annotations

import copy

from runbookgen.inventory.model import build_inventory
from runbookgen.inventory.semantic import semantic_problems
from runbookgen.inventory.validate import schema, schema_problems_and_paths
from runbookgen.problems import Problem
from runbookgen.yamlread.document import YamlDocument

_LISTS = ("alerts", "severities", "datasources", "health_checks", "procedures", "slos")


def _stand_in(section: str, item, index: int, fallback_severity: str):
    """A schema-valid entry that carries over the identity of ``item`` where it is valid."""
    ident = lambda key, default: item.get(key) if isinstance(item, dict) and isinstance(item.get(key), str) \
        and item.get(key) else default  # noqa: E731
    if section == "alerts":
        return {"name": ident("name", f"x{index}-invalid"), "severity": ident("severity", fallback_severity),
                "summary": "-"}
    if section == "severities":
        return {"id": ident("id", f"x{index}-invalid")}
    if section == "datasources":
        kind = item.get("type") if isinstance(item, dict) and item.get("type") in ("prometheus", "loki", "tempo") \
            else "prometheus"
        return {"name": ident("name", f"x{index}-invalid"), "type": kind}
    if section == "health_checks":
        return {"name": "-", "kind": "http", "expect": "-"}
    if section == "procedures":
        return {"id": ident("id", f"x{index}-invalid"), "title": "-", "steps": ["-"]}
    return {"name": "-", "objective": 1}


_SCHEMA_OF = {"alerts": "alert", "severities": "severity", "health_checks": "health_check",
              "procedures": "procedure", "slos": "slo"}


def _known_keys(section: str) -> set:
    root = schema()
    node = root["$defs"][_SCHEMA_OF[section]] if section in _SCHEMA_OF else \
        root["properties"][section]["items"]
    return set(node["properties"])


def _repair(section: str, item, index: int, bad_keys: set, fallback: str) -> tuple[object, set]:
    """The entry without its unknown and failing keys, required ones filled in; and the keys taken out."""
    stand_in = _stand_in(section, item, index, fallback)
    if not isinstance(item, dict):
        return stand_in, {None}
    known = _known_keys(section)
    dropped = {k for k in item if k not in known or k in bad_keys}
    repaired = {k: copy.deepcopy(v) for k, v in item.items() if k not in dropped}
    for key, value in stand_in.items():
        if key not in repaired or key in dropped:
            repaired[key] = value
    return repaired, dropped


def semantic_problems_of_valid_part(doc: YamlDocument, error_paths: list[tuple], path: str) -> list[Problem]:
    entries: dict[tuple, set] = {}
    sections: set[str] = set()
    for err in error_paths:
        if len(err) >= 2 and err[0] in _LISTS and isinstance(err[1], int):
            entries.setdefault(err[:2], set()).update(err[2:3])  # the failing key of one entry, if any
        elif err:
            sections.add(err[0])  # a whole section: service, grafana, lint, include, a list of the wrong type
    data = {k: copy.deepcopy(v) for k, v in doc.data.items()
            if k in _LISTS + ("grafana", "lint", "service") and k not in sections}
    data["version"] = 1
    service = doc.data.get("service")
    name = service.get("name") if isinstance(service, dict) else None
    if "service" in sections or not isinstance(service, dict):
        data["service"] = {"name": name if isinstance(name, str) and name else "-"}
    severities = data.get("severities")
    first = severities[0] if isinstance(severities, list) and severities else None
    fallback = first["id"] if isinstance(first, dict) and isinstance(first.get("id"), str) else "critical"
    replaced: list[tuple] = [(s,) for s in sections]
    for (section, index), bad_keys in sorted(entries.items()):
        if not isinstance(data.get(section), list):
            continue
        data[section][index], dropped = _repair(section, doc.data[section][index], index, bad_keys, fallback)
        replaced += [(section, index) + ((key,) if key is not None else ()) for key in dropped]
    patched = YamlDocument(doc.file, data, doc.positions, doc.key_positions)
    if schema_problems_and_paths(patched)[0]:
        return []  # the repair did not make it valid: better say nothing than something wrong
    inside = {pos for p, pos in doc.positions.items() for r in replaced if p[:len(r)] == r}
    return [p for p in semantic_problems(build_inventory(patched, path)) if p.pos not in inside]
