"""Loading, validating and modelling the runbooks.yaml inventory."""

from __future__ import annotations

from runbookgen.inventory.load import load_inventory_document
from runbookgen.inventory.model import Inventory, build_inventory
from runbookgen.inventory.semantic import semantic_problems
from runbookgen.inventory.validate import schema_problems
from runbookgen.problems import InputError

DEFAULT_INVENTORY = "runbooks.yaml"


def load_inventory(path: str = DEFAULT_INVENTORY) -> Inventory:
    """Load, schema-check and cross-check an inventory; raise InputError with every problem found.

    Semantic checks (references, uniqueness) run once the document has the right shape.
    """
    doc = load_inventory_document(path)
    problems = schema_problems(doc)
    if problems:
        raise InputError(problems)
    inventory = build_inventory(doc, path)
    problems = semantic_problems(inventory)
    if problems:
        raise InputError(problems)
    return inventory
