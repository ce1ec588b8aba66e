"""Which rule files import and annotate read: the ``--rules`` given, else the inventory's ``lint.rules``.

The same choice lint makes, through the same reader, so that after ``import`` lint
sees a runbook for every alert it reads. A file with Helm templating is reported
and skipped even when it was named directly: it is a chart to render first, not a
mistake to stop for.
"""

from __future__ import annotations

import dataclasses

from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.rules import RuleSet, read_rules
from runbookgen.rules.read import TEMPLATE_REASON


def read_rule_files(inventory: Inventory, patterns: tuple[str, ...]) -> RuleSet:
    """Read ``patterns`` (relative to the working directory) or the inventory's ``lint.rules``."""
    where = inventory.lint.pos or Position(inventory.path, 1, 1)
    if patterns:
        ruleset = read_rules(patterns, ".")
    elif inventory.lint.rules:
        ruleset = read_rules(inventory.lint.rules, inventory.base_dir, where=where)
    else:
        raise InputError([Problem(where, "no rule files to read: pass --rules, or list them under lint: rules: "
                                         "in the inventory")])
    templates = [p for p in ruleset.problems if p.message == TEMPLATE_REASON]
    others = [p for p in ruleset.problems if p.message != TEMPLATE_REASON]
    if others:
        raise InputError(others)
    skipped = ruleset.skipped + tuple((p.pos.file, p.message) for p in templates)
    return dataclasses.replace(ruleset, problems=(), skipped=skipped)
