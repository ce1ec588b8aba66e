"""Loading, validating and modelling the runbooks.yaml inventory."""

from __future__ import annotations

from runbookgen.inventory.load import load_inventory_document
from runbookgen.inventory.model import Inventory, build_inventory
from runbookgen.inventory.semantic import semantic_problems
from runbookgen.inventory.partial import semantic_problems_of_valid_part
from runbookgen.inventory.validate import schema_problems_and_paths
from runbookgen.problems import InputError

DEFAULT_INVENTORY = "runbooks.yaml"


def load_inventory(path: str = DEFAULT_INVENTORY) -> Inventory:
    """Load, schema-check and cross-check an inventory; raise InputError with every problem found.

    Problems of every stage are reported together: loading problems that leave usable data
    (duplicate keys, include problems), schema errors, and cross-check problems in the valid part.
    """
    doc = load_inventory_document(path)
    problems = list(doc.problems)
    schema, error_paths = schema_problems_and_paths(doc)
    if schema:
        raise InputError(problems + schema + semantic_problems_of_valid_part(doc, error_paths, path))
    inventory = build_inventory(doc, path)
    problems += semantic_problems(inventory)
    if problems:
        raise InputError(problems)
    return inventory
