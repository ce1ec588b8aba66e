"""Rule-file readers: Prometheus and Loki ``groups:`` files and ``PrometheusRule`` resources -> ``Rule`` values."""

from runbookgen.rules.model import Rule, RuleProblem, RuleSet
from runbookgen.rules.read import read_rules

__all__ = ["Rule", "RuleProblem", "RuleSet", "read_rules"]
