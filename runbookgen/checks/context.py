"""Everything a check may look at, prepared once by the linter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from runbookgen.inventory.model import Alert, Inventory, Severity
from runbookgen.live.results import LiveResults
from runbookgen.rules.model import Rule, RuleSet
from runbookgen.addresses import runbook_url
from runbookgen.checks.options import Option

# Settings every severity-aware check reads through this context (declared here, where they are read).
SEVERITY_LABEL = Option("severity_label", "string", "severity", "The rule label that carries severity")
EXEMPT_SEVERITIES = Option("exempt_severities", "list of strings", (),
                           "Alerts with these severity label values need no runbook (e.g. none)",
                           item_description="A severity label value.")


@dataclass
class LintContext:
    inventory: Inventory
    ruleset: RuleSet
    today: dt.date
    url_pattern: object = None  # UrlPattern of lint.runbook_url, or the default; None when the URL cannot be known
    site_url: str = ""
    html_pages: bool = True  # pages end in .html rather than /
    duplicates: tuple[tuple[Alert, Alert], ...] = ()  # (later entry, first entry); inventory holds the first
    waiver_uses: dict = field(default_factory=dict)  # waiver -> number of findings it suppressed
    rules_by_name: dict[str, list[Rule]] = field(default_factory=dict)
    live: LiveResults | None = None  # what the live server said; None without one (the live checks then skip)
    _severity_by_label: dict[str, Severity] = field(default_factory=dict)
    _values: dict = field(default_factory=dict)  # id(rule) -> its severity label value (looked up often)

    def __post_init__(self):
        label = self.severity_label
        for rule in self.ruleset.rules:
            if rule.kind == "alert":
                self.rules_by_name.setdefault(rule.name, []).append(rule)
                self._values[id(rule)] = rule.label(label)
        for severity in self.inventory.severities:
            self._severity_by_label.setdefault(severity.id, severity)
        for severity in self.inventory.severities:
            for label in severity.labels:
                self._severity_by_label[label] = severity

    @property
    def settings(self):
        return self.inventory.lint

    @property
    def severity_label(self) -> str:
        return self.settings.severity_label or SEVERITY_LABEL.default

    def severity_value(self, rule: Rule) -> str | None:
        found = self._values.get(id(rule), self)
        return rule.label(self.severity_label) if found is self else found

    def severity_of(self, rule: Rule) -> Severity | None:
        """The inventory severity a rule's severity label maps to (by the severity's labels, else its id)."""
        value = self.severity_value(rule)
        return self._severity_by_label.get(value) if value is not None else None

    def known_severity_values(self) -> list[str]:
        return sorted(set(self._severity_by_label) | set(self.settings.exempt_severities))

    def is_exempt(self, rule: Rule) -> bool:
        return self.severity_value(rule) in self.settings.exempt_severities

    def level_for_rule(self, rule: Rule) -> str:
        """error for paging severities (and unknown ones), warning for the rest."""
        severity = self.severity_of(rule)
        return "warning" if severity is not None and not severity.pages else "error"

    def expected_url(self, name: str) -> str | None:
        """The runbook_url an alert's rules should carry, or None when it cannot be known."""
        if self.url_pattern is None:
            return None
        return runbook_url(name, site_url=self.site_url, html_pages=self.html_pages, pattern=self.url_pattern)
