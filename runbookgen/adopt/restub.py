"""Correct the severity of draft stubs that import wrote and nobody has edited since.

When a severity label value gets a mapping after a first import (``s1`` listed
under ``critical``), a second import gives the same stub a different severity.
An entry is only changed when it is still exactly what import would write
(``status: draft``, every field as generated, the severity aside): then its
``severity:`` value is replaced where it is written, and the TODO comment import
put above it about the guess is removed. Anything a person touched stays as it is.
"""

from __future__ import annotations

from runbookgen.adopt.scalar_style import value_text
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.tree import Node, read_tree


def fix_splices(text: str, data: dict, fixes, label: str) -> tuple[list, list]:
    """Splices ``(start, end, new text)`` that correct the unedited entries among ``fixes``, and those fixed."""
    from runbookgen.adopt.import_stubs import expected_entry

    try:
        roots = read_tree(text)
    except YamlError:
        return [], []
    entries = _entry_nodes(roots[0] if roots else None)
    raw = {e.get("name"): e for e in (data or {}).get("alerts") or [] if isinstance(e, dict)}
    splices, fixed = [], []
    for alert, stub in fixes:
        node = entries.get(alert.name)
        written = dict(expected_entry(stub), severity=alert.severity)
        if node is None or raw.get(alert.name) != written:
            continue
        severity = node.get("severity")
        if len(severity) != 1 or severity[0][1].kind != "scalar":
            continue
        key, value = severity[0]
        splices.append((value.start, value.end, value_text(stub.severity, value.style if value.style in ("'", '"')
                                                            else "", flow=node.flow)))
        splices += _guess_comments(text, node, key, label)
        fixed.append((alert, stub))
    return splices, fixed


def _entry_nodes(root: Node | None) -> dict[str, Node]:
    if root is None or root.kind != "map":
        return {}
    alerts = root.get("alerts")
    if not alerts or alerts[-1][1].kind != "seq":
        return {}
    found = {}
    for item in alerts[-1][1].items:
        if item.kind == "map":
            name = item.get("name")
            if len(name) == 1 and name[0][1].kind == "scalar":
                found.setdefault(name[0][1].value, item)
    return found


def _guess_comments(text: str, entry: Node, severity_key: Node, label: str) -> list:
    """Remove the lines of ``# TODO: <label> ... maps to no severity`` just above ``severity:``."""
    status = entry.get("status")
    if not status or entry.flow:
        return []
    start = text.find("\n", status[0][1].end) + 1
    end = text.rfind("\n", 0, severity_key.start) + 1
    if start <= 0 or end <= start:
        return []
    block = text[start:end]
    lines = block.splitlines(keepends=True)
    if not lines or not all(line.lstrip().startswith("#") for line in lines):
        return []
    if not lines[0].lstrip().startswith(f"# TODO: {label} "):
        return []
    return [(start, end, "")]
