"""``runbookgen import``: append a draft entry to the inventory for every alert that has none.

Existing text is never rewritten: the stubs are inserted as new lines after the
last entry of ``alerts:`` (or in a new ``alerts:`` list at the end of the file), in
the indentation the list already uses, so every comment, quote and blank line
of the file stays as it was. The new file is loaded and validated before it
replaces the old one; an alert that already has an entry (here or in an included
file) gets none, so a second run changes nothing.
"""

from __future__ import annotations

import copy
import os
import textwrap
from dataclasses import dataclass

from runbookgen.adopt.files import read_source, write_file
from runbookgen.adopt.inventory_layout import layout_of
from runbookgen.adopt.restub import fix_splices
from runbookgen.adopt.rule_groups import group_settings
from runbookgen.adopt.severity_map import severities_block
from runbookgen.adopt.stubs import ImportPlan, Stub, plan_import
from runbookgen.adopt.yamltext import block_lines, scalar
from runbookgen.inventory import load_inventory
from runbookgen.problems import display_path
from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.rules import RuleSet
from runbookgen.yamlread.build import read_documents
from runbookgen.yamlread.document import load_documents
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.tree import read_tree

COMMENT_WIDTH = 100
PROMPTS = """\
# TODO: write the runbook, then remove `status: draft` and add `last_reviewed: YYYY-MM-DD`
# (runbookgen schema --markdown lists every key). What the on-call engineer needs first:
# investigation:            # in order; a sentence, or a step with a command or a query
#   - step: What to check first.
#     command: <a command that shows it>
# causes:                   # most likely first, each with how to confirm it
#   - cause: <a likely cause>
#     confirm: <how to tell>
# mitigation:
#   immediate: [<stop the bleeding, in minutes>]
#   short_term: [<stabilise, in hours or days>]
# verification: [<how to tell it has recovered>]
# Also: impact, queries (with Grafana Explore links), resolution, dashboards, related."""


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    inventory: str  # the file the stubs were (or would be) written to, as shown
    text: str  # the lines added
    written: bool
    fixed: tuple = ()  # (alert, stub): draft entries whose severity was corrected
    severities_added: bool = False  # a severities: block (with the mapped values) was appended


def import_stubs(inventory: Inventory, ruleset: RuleSet, *, dry_run: bool = False,
                 severity_map: dict[str, str] | None = None, page_url=None) -> ImportResult:
    """Plan the stubs for ``ruleset`` and append them to the inventory's file (unless ``dry_run``).

    Nothing is written while a severity label value maps to nothing (``plan.unknown``).
    """
    inventory_path = inventory.path
    plan = plan_import(inventory, ruleset.rules, severity_map=severity_map, page_url=page_url,
                       groups=group_settings(ruleset.files))
    shown = display_path(inventory_path)
    if plan.unknown or not (plan.stubs or plan.fixes):
        return ImportResult(plan, shown, "", False)
    source = read_source(inventory_path, shown=shown)
    original = source.text
    newline = "\r\n" if "\r\n" in original else "\n"
    before = load_documents(shown, display=shown, text=original)[0].data
    splices, fixed = fix_splices(original, before, plan.fixes, inventory.lint.severity_label or "severity")
    stubs_text = ""
    if plan.stubs:
        layout = layout_of(original, shown)
        stubs_text = ("\n\n" if layout.gap else "\n").join(stub_text(s, layout.dash, layout.key) for s in plan.stubs)
        added = (layout.lead + stubs_text + layout.tail).replace("\n", newline)
        start, end = layout.remove
        if end > start:
            splices.append((start, end, ""))
        splices.append((layout.offset, layout.offset, added))
    block = ""
    if severity_map and inventory.severities_defaulted and _block_root(original):
        block = severities_block(inventory, severity_map)
        lead = "" if original.endswith("\n") or not original else newline
        splices.append((len(original), len(original), (lead + newline + block).replace("\n", newline)))
    new_text = _apply(original, splices)
    if not new_text.endswith("\n"):
        new_text += newline
    _check_result(new_text, shown, before, plan.stubs, fixed, block)
    if not dry_run:
        write_file(inventory_path, new_text, shown=shown, bom=source.bom, check=lambda temp: _validate(temp, shown))
    return ImportResult(plan, shown, stubs_text + "\n" if stubs_text else "", not dry_run, tuple(fixed), bool(block))


def _apply(text: str, splices: list) -> str:
    for start, end, new in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _block_root(text: str) -> bool:
    try:
        roots = read_tree(text)
    except YamlError:
        return False
    return len(roots) == 1 and roots[0] is not None and roots[0].kind == "map" and not roots[0].flow


def stub_text(stub: Stub, dash: int, key: int) -> str:
    """The YAML of one stub, as a list item whose "-" is at column ``dash`` and keys at ``key``."""
    pad, deeper = " " * key, key + 2
    rule = stub.rule
    lines = [" " * dash + "-" + " " * (key - dash - 1) + "name: " + scalar(stub.name, deeper),
             f"{pad}status: draft  # imported by runbookgen import from {rule.file}:{rule.line}"]
    lines += _comment(stub.severity_note, pad)
    lines += [f"{pad}severity: {scalar(stub.severity, deeper)}", f"{pad}summary: {scalar(stub.summary, deeper)}"]
    if stub.runbook_url:
        lines.append(f"{pad}runbook_url: {scalar(stub.runbook_url, deeper)}  # the runbook lives here; the page links "
                     "to it")
    for field, value in (("description", stub.description), ("expr", stub.expr), ("for", stub.for_),
                         ("keep_firing_for", stub.keep_firing_for), ("datasource", stub.datasource)):
        if value:
            lines.append(f"{pad}{field}: {scalar(value, deeper)}")
    extra = {"labels": dict(stub.labels), "annotations": dict(stub.annotations), "group": stub.group or {},
             "variants": [dict(v) for v in stub.variants]}
    lines += block_lines({k: v for k, v in extra.items() if v}, key)
    for note in stub.notes:
        lines += _comment(note, pad)
    lines += [pad + line for line in PROMPTS.splitlines()]
    return "\n".join(lines)


def _comment(text: str, pad: str) -> list[str]:
    width = max(COMMENT_WIDTH - len(pad) - 2, 40)
    return [f"{pad}# {line}" for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)]


def expected_entry(stub: Stub) -> dict:
    """What the stub's YAML must read back as."""
    entry = {"name": stub.name, "status": "draft", "severity": stub.severity, "summary": stub.summary}
    if stub.runbook_url:
        entry["runbook_url"] = stub.runbook_url
    for field, value in (("description", stub.description), ("expr", stub.expr), ("for", stub.for_),
                         ("keep_firing_for", stub.keep_firing_for), ("datasource", stub.datasource)):
        if value:
            entry[field] = value
    if stub.labels:
        entry["labels"] = dict(stub.labels)
    if stub.annotations:
        entry["annotations"] = dict(stub.annotations)
    if stub.group:
        entry["group"] = stub.group
    if stub.variants:
        entry["variants"] = [dict(v) for v in stub.variants]
    return entry


def _check_result(text: str, shown: str, before: dict, stubs, fixed, block: str) -> None:
    """The new text must read back as the old data plus exactly the stubs, fixes and severities (else: a bug)."""
    expected = copy.deepcopy(before)
    alerts = expected.get("alerts") or []
    for alert, stub in fixed:
        entry = next(e for e in alerts if isinstance(e, dict) and e.get("name") == alert.name)
        entry["severity"] = stub.severity
    expected["alerts"] = alerts + [expected_entry(stub) for stub in stubs]
    if not expected["alerts"] and "alerts" not in before:
        del expected["alerts"]
    if block:
        expected["severities"] = read_documents(block, "severities", typed=True)[0].data["severities"]
    try:
        documents = load_documents(shown, display=shown, text=text)
    except InputError:
        documents = []
    data = documents[0].data if len(documents) == 1 else None
    if data != expected:
        raise InputError([Problem(Position(shown, 1, 1), "import cannot add the stubs to this file as it is laid out "
                                                         "(for example a top level written as {...}, or a document "
                                                         "end marker) without changing what is already there, so "
                                                         "nothing was written; run import --dry-run and add them by "
                                                         "hand")])


def _validate(temp: str, shown: str) -> None:
    temp_shown = display_path(temp)
    try:
        load_inventory(temp)
    except InputError as err:
        moved = [Problem(Position(shown, p.pos.line, p.pos.col) if p.pos.file == temp_shown else p.pos, p.message)
                 for p in err.problems]
        note = Problem(Position(shown, 1, 1), "import would leave the inventory invalid, so nothing was written:")
        raise InputError([note, *moved]) from None
    if not os.path.exists(temp):  # pragma: no cover - defensive
        raise RuntimeError("the new inventory disappeared before it could replace the old one")
