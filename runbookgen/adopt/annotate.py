"""``runbookgen annotate``: point every alerting rule's ``runbook_url`` at its runbook page.

Only alerts that have a runbook in the inventory are annotated: a URL to a page
that does not exist would send the on-call engineer nowhere (``runbookgen
import`` adds the missing entries first). Rules already carrying the right URL
are left alone, so a second run, or ``--check`` after a run, finds nothing to do.
The files are edited by ``rule_edit``, which changes only the annotation lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from runbookgen.adopt.files import write_file
from runbookgen.adopt.rule_edit import Edit, alert_rules, apply_edits, load_round_trip
from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError, Position, Problem
from runbookgen.rules import RuleSet
from runbookgen.yamlsource import read_text

ANNOTATION = "runbook_url"


@dataclass(frozen=True)
class AnnotationChange:
    """One rule whose runbook_url is missing or points elsewhere."""

    pos: Position  # the current value, or the alert: key when there is none
    alert: str
    old: str | None
    new: str
    edit: Edit

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.pos}: alert {self.alert!r}: runbook_url missing; would set {self.new}"
        return f"{self.pos}: alert {self.alert!r}: runbook_url is {self.old}; would set {self.new}"


@dataclass
class AnnotatePlan:
    changes: dict[str, list[AnnotationChange]] = field(default_factory=dict)  # file -> changes
    texts: dict[str, str] = field(default_factory=dict)  # file -> its text, for files with changes
    unchanged: int = 0  # rules whose runbook_url is already right
    without_runbook: list[str] = field(default_factory=list)  # alert names the inventory lacks, in file order

    @property
    def all_changes(self) -> list[AnnotationChange]:
        return [c for file in sorted(self.changes) for c in self.changes[file]]


def plan_annotations(inventory: Inventory, ruleset: RuleSet, url_of: Callable[[str], str]) -> AnnotatePlan:
    """What annotate would change in the files of ``ruleset``; InputError for files it cannot edit."""
    plan = AnnotatePlan()
    problems: list[Problem] = []
    seen_missing: set[str] = set()
    for shown in ruleset.files:
        try:
            text = read_text(shown)
            documents = load_round_trip(text, shown)
        except InputError as err:
            problems += err.problems
            continue
        for node in alert_rules(documents):
            if inventory.alert(node.name) is None:
                if node.name not in seen_missing:
                    seen_missing.add(node.name)
                    plan.without_runbook.append(node.name)
                continue
            annotations = node.rule.get("annotations")
            if annotations is not None and not isinstance(annotations, dict):
                line, col = node.rule.lc.value("annotations")
                problems.append(Problem(Position(shown, line + 1, col + 1),
                                        f"annotations of alert {node.name!r} must be a mapping"))
                continue
            wanted = url_of(node.name)
            old = annotations.get(ANNOTATION) if annotations else None
            if old is not None and str(old) == wanted:
                plan.unchanged += 1
                continue
            if old is not None:
                line, col = annotations.lc.value(ANNOTATION)
                pos = Position(shown, line + 1, col + 1)
            else:
                pos = Position(shown, node.line, node.col)
            edit = Edit(node.doc, node.path, ANNOTATION, wanted)
            plan.changes.setdefault(shown, []).append(
                AnnotationChange(pos, node.name, None if old is None else str(old), wanted, edit))
            plan.texts[shown] = text
    if problems:
        raise InputError(problems)
    return plan


def apply_annotations(plan: AnnotatePlan) -> dict[str, int]:
    """Write the planned changes; file -> number of rules changed. InputError for edits that cannot be made."""
    problems: list[Problem] = []
    results: dict[str, tuple[str, int]] = {}
    for shown in sorted(plan.changes):
        changes = plan.changes[shown]
        text, failed = apply_edits(plan.texts[shown], [c.edit for c in changes], shown)
        for change in changes:
            if change.edit in failed:
                problems.append(Problem(change.pos, f"cannot set runbook_url of alert {change.alert!r} without "
                                                    "rewriting the lines around it (mixed indentation?); set it "
                                                    f"by hand to {change.new}"))
        results[shown] = (text, len(changes) - len(failed))
    if problems:
        raise InputError(problems)
    for shown, (text, _count) in results.items():
        write_file(shown, text, shown=shown)
    return {shown: count for shown, (_text, count) in results.items()}
