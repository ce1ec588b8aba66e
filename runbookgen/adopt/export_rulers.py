"""Which ruler each alert is exported for: what the rule files the inventory's ``lint.rules`` names say.

The inventory records a rule's group (name, interval, limit, ...), but it has no
datasource type for MetricsQL, LogsQL or Graphite, and no place for vmalert's own
group keys (``type: vlogs``, ``concurrency``, ``eval_offset``, ...). The rule
files still have both: they are read as lint reads them, so that an alert whose
rule vmalert evaluates is exported to the vmalert file with its group's keys, and
one that Grafana manages is left out (its condition lives in Grafana's
expressions, not in ``expr``). With no rule files, or none that holds the alert,
its datasource and expression decide as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runbookgen.adopt.rule_groups import ruler_keys
from runbookgen.inventory.model import Inventory
from runbookgen.problems import InputError
from runbookgen.rulers import GRAPHITE, LOGSQL
from runbookgen.rules import read_rules

VMALERT, GRAFANA = "vmalert", "grafana"
TYPE_OF_DIALECT = {LOGSQL: "vlogs", GRAPHITE: "graphite"}  # vmalert's group type: for each language


@dataclass(frozen=True)
class Origin:
    """Where an alert's rules are evaluated: the ruler, the expression language, and vmalert keys per group."""

    ruler: str
    dialect: str
    groups: dict = field(default_factory=dict)  # group name -> vmalert-only keys of that group
    rules: dict = field(default_factory=dict)  # (group name, expr) -> vmalert-only keys of that rule

    def rule_keys(self, group: str, expr: str) -> dict:
        return dict(self.rules.get((group, expr.strip("\n")), {}))

    def group_keys(self, group: str) -> dict:
        """The vmalert keys for ``group``; a group not seen in the rule files gets the type its language needs."""
        if group in self.groups:
            return dict(self.groups[group])
        return {"type": TYPE_OF_DIALECT[self.dialect]} if self.dialect in TYPE_OF_DIALECT else {}


def rule_origins(inventory: Inventory) -> dict[str, Origin]:
    """Alert name -> Origin, from the first alerting rule of that name in the inventory's rule files."""
    if not inventory.lint.rules:
        return {}
    try:
        ruleset = read_rules(inventory.lint.rules, inventory.base_dir)
    except InputError:  # lint reports unreadable rule files; export goes by the inventory alone
        return {}
    group_keys, rule_keys = ruler_keys(ruleset.files)
    origins: dict[str, Origin] = {}
    for rule in ruleset.rules:
        if not rule.is_alert:
            continue
        origin = origins.setdefault(rule.name, Origin(rule.ruler, rule.dialect))
        if origin.ruler == VMALERT and rule.ruler == VMALERT:
            origin.groups.setdefault(rule.group, group_keys.get((rule.file, rule.group), {}))
            own = rule_keys.get((rule.file, rule.group, rule.name, rule.expr.strip("\n")))
            if own:
                origin.rules.setdefault((rule.group, rule.expr.strip("\n")), own)
    return origins
