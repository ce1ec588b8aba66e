"""Loading, validating and modelling the runbooks.yaml inventory: the one loader every command uses.

``load_inventory`` does it all; ``read_inventory`` and ``check_inventory`` are its two
halves, for a caller (lint) that starts other work as soon as the YAML is read.
"""

from __future__ import annotations

import dataclasses

from runbookgen.inventory.load import load_inventory_document as read_inventory
from runbookgen.inventory.model import Inventory, build_inventory
from runbookgen.problems import InputError, Problem
from runbookgen.yamlread.document import YamlDocument

DEFAULT_INVENTORY = "runbooks.yaml"

__all__ = ["DEFAULT_INVENTORY", "Inventory", "check_inventory", "load_inventory", "read_inventory"]


def load_inventory(path: str = DEFAULT_INVENTORY, *, duplicate_alerts_as_data: bool = False) -> Inventory:
    """Load, schema-check and cross-check an inventory; raise InputError with every problem found.

    Problems of every stage are reported together: loading problems that leave usable data
    (duplicate keys, include problems), schema errors, and cross-check problems in the valid part.
    With ``duplicate_alerts_as_data``, an alert name defined twice is not a problem: the inventory
    keeps the first entry of each name and lists (later entry, first entry) in ``duplicates``
    (lint reports them as findings).
    """
    return check_inventory(read_inventory(path), path, duplicate_alerts_as_data=duplicate_alerts_as_data)


def check_inventory(doc: YamlDocument, path: str, *, duplicate_alerts_as_data: bool = False) -> Inventory:
    """The second half of ``load_inventory``: the document ``read_inventory`` returned, checked and modelled."""
    # imported here: a lint that takes the inventory kept by an earlier run checks nothing, and starts faster
    from runbookgen.inventory.partial import semantic_problems_of_valid_part
    from runbookgen.inventory.semantic import semantic_problems
    from runbookgen.inventory.validate import schema_problems_and_paths

    problems = list(doc.problems)
    schema, error_paths = schema_problems_and_paths(doc)
    if schema:
        raise InputError(problems + schema + semantic_problems_of_valid_part(doc, error_paths, path))
    inventory = build_inventory(doc, path)
    duplicates: tuple = ()
    if duplicate_alerts_as_data:
        inventory, duplicates = _first_of_each_name(inventory)
    inventory = dataclasses.replace(inventory, sources=tuple(sorted(doc.sources.items())),
                                    globs=tuple(doc.globs), duplicates=duplicates)
    problems += semantic_problems(inventory) + _pattern_problems(doc, inventory)
    if problems:
        raise InputError(problems)
    return inventory


def _pattern_problems(doc: YamlDocument, inventory: Inventory) -> list[Problem]:
    from runbookgen.addresses import pattern_problem

    why = pattern_problem(inventory.lint.runbook_url) if inventory.lint.runbook_url else None
    return [Problem(doc.where(("lint", "runbook_url")), f"lint.runbook_url: {why}")] if why else []


def _first_of_each_name(inventory: Inventory) -> tuple[Inventory, tuple]:
    first: dict = {}
    duplicates = []
    for alert in inventory.alerts:
        if alert.name in first:
            duplicates.append((alert, first[alert.name]))
        else:
            first[alert.name] = alert
    if not duplicates:
        return inventory, ()
    return dataclasses.replace(inventory, alerts=tuple(first.values())), tuple(duplicates)
