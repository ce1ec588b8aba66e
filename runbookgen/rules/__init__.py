"""Rule-file readers: Prometheus, Thanos, Mimir, Loki, vmalert and Grafana rule files, and rule resources
(PrometheusRule, VMRule, Loki Operator) -> ``Rule`` values.

The names below are imported when first used, so that ``runbookgen.rulers`` (which the inventory
model needs) can be imported without the readers and what they import.
"""

from __future__ import annotations

__all__ = ["Rule", "RuleProblem", "RuleSet", "read_rules"]


def __getattr__(name: str):
    if name in ("Rule", "RuleProblem", "RuleSet"):
        from runbookgen.rules import model

        return getattr(model, name)
    if name == "read_rules":
        from runbookgen.rules.read import read_rules

        return read_rules
    raise AttributeError(f"module 'runbookgen.rules' has no attribute {name!r}")
