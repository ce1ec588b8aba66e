"""The lint stage: inventory + rule files -> findings, coverage and notes.

``run_lint()`` is the whole pipeline the command line calls: load the inventory
(duplicate alert names become findings here, not load errors), read the rule
files it lists or the ones given (in a worker process while the inventory is
validated, when there are many; see ``rules.background``), find the expected
``runbook_url`` from mkdocs.yml, and run ``lint()``. ``lint()`` runs every check that is not off,
gives each finding its level (the level configured under ``lint.checks``, else
the one the check chose, else the check's default), drops findings covered by an
active waiver, and then runs the checks about waivers themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass

from runbookgen.checks.base import LEVELS, OFF, Finding, level_rank
from runbookgen.checks.context import LintContext
from runbookgen.checks.registry import CHECKS, check_keys, find_check
from runbookgen.inventory.model import Inventory
from runbookgen.inventory.validate import did_you_mean
from runbookgen.problems import InputError, Position, Problem
from runbookgen.gcpause import cycle_collector_paused
from runbookgen.published import published_site
from runbookgen.rules import RuleSet
from runbookgen.rules.rulers import patterns_of


@dataclass(frozen=True)
class Coverage:
    alerting_rules: int = 0
    recording_rules: int = 0
    alerts: int = 0  # distinct alert names in the rules
    with_runbook: int = 0
    exempt: int = 0  # alerts whose every rule has an exempt severity
    required: int = 0  # alerts that need a runbook
    covered: int = 0  # of those, the ones that have one

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.required if self.required else 100.0


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    coverage: Coverage
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    waived: int = 0
    alerts: tuple[tuple[str, str], ...] = ()  # (alert name, file that defines it): rules first, then runbooks

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def fails(self, fail_level: str) -> bool:
        """True when a finding is at ``fail_level`` or more severe (``never`` never fails)."""
        if fail_level not in LEVELS:
            return False
        return any(level_rank(f.level) <= level_rank(fail_level) for f in self.findings)


def today() -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH names (for reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def load_inventory_for_lint(path: str, *, doc=None) -> tuple[Inventory, tuple]:
    """Like ``load_inventory``, but an alert name defined twice is a lint finding, not a load error.

    Returns the inventory holding the first entry of each name, and (later entry, first entry) pairs.
    ``doc`` is the already loaded inventory document, if the caller has it.
    """
    from runbookgen.inventory.load import load_inventory_document
    from runbookgen.inventory.model import build_inventory
    from runbookgen.inventory.semantic import semantic_problems
    from runbookgen.inventory.validate import schema_problems

    doc = doc if doc is not None else load_inventory_document(path)
    problems = schema_problems(doc)
    if problems:
        raise InputError(problems)
    inventory = build_inventory(doc, path)
    first: dict = {}
    duplicates = []
    for alert in inventory.alerts:
        if alert.name in first:
            duplicates.append((alert, first[alert.name]))
        else:
            first[alert.name] = alert
    if duplicates:
        inventory = dataclasses.replace(inventory, alerts=tuple(first.values()))
    problems = semantic_problems(inventory)
    if problems:
        raise InputError(problems)
    return inventory, tuple(duplicates)


def configured_levels(inventory: Inventory) -> dict[str, str]:
    """check code -> level from ``lint.checks``; unknown checks are input errors."""
    where = inventory.lint.pos or Position(inventory.path, 1, 1)
    levels, problems = {}, []
    for key, level in inventory.lint.checks:
        check = find_check(key)
        if check is None:
            problems.append(Problem(where, f"lint.checks: unknown check {key!r}{did_you_mean(key, check_keys())}"))
        else:
            levels[check.CODE] = level
    for waiver in inventory.lint.waivers:
        if find_check(waiver.check) is None:
            problems.append(Problem(waiver.pos, f"waiver names unknown check {waiver.check!r}"
                                                f"{did_you_mean(waiver.check, check_keys())}"))
    if problems:
        raise InputError(problems)
    return levels


def url_pattern(inventory: Inventory, site_url: str) -> str | None:
    """The pattern of expected runbook_url values, or None when they cannot be known (see runbook-url-mismatch)."""
    from runbookgen.site.urls import DEFAULT_PATTERN, runbook_url

    pattern = inventory.lint.runbook_url or (DEFAULT_PATTERN if site_url else "")
    if not pattern or ("{site_url}" in pattern and not site_url):
        return None
    try:
        runbook_url("Example", site_url=site_url or "https://example.com/", html_pages=True, pattern=pattern)
    except (KeyError, IndexError, ValueError) as err:
        raise InputError([Problem(inventory.lint.pos or Position(inventory.path, 1, 1),
                                  f"lint.runbook_url {pattern!r} is not a usable pattern ({err}); it may use "
                                  "{site_url}, {path}, {slug} and {name}")]) from None
    return pattern


def lint(inventory: Inventory, ruleset: RuleSet, *, duplicates: tuple = (), site_url: str = "",
         html_pages: bool = True, day: dt.date | None = None, only: frozenset[str] | None = None) -> LintResult:
    """Run every check, or the ones named in ``only``; see the module docstring for how levels and waivers apply.

    With ``only``, the findings of the other checks are simply absent: the waiver checks, which judge
    waivers by what the other checks found, belong in ``only`` only together with every other check.
    """
    levels = configured_levels(inventory)
    ctx = LintContext(inventory, ruleset, day or today(), url_pattern(inventory, site_url), site_url, html_pages,
                      duplicates)
    active = [w for w in inventory.lint.waivers if w.expires >= ctx.today]
    findings, waived = [], 0
    for late in (False, True):
        for check in CHECKS:
            if getattr(check, "AFTER_WAIVERS", False) != late or levels.get(check.CODE) == OFF:
                continue
            if only is not None and check.NAME not in only:
                continue
            for report in check.check(ctx):
                finding = Finding(check.CODE, check.NAME, levels.get(check.CODE) or report.level or check.LEVEL,
                                  report.pos, " ".join(report.message.splitlines()), report.alert)
                waiver = None if late else next((w for w in active if w.alert == finding.alert and w.alert
                                                 and find_check(w.check) is check), None)
                if waiver is not None:
                    ctx.waiver_uses[waiver] = ctx.waiver_uses.get(waiver, 0) + 1
                    waived += 1
                else:
                    findings.append(finding)
    notes = []
    if ctx.url_pattern is None:
        notes.append("runbook_url targets were not compared: set site_url in mkdocs.yml or lint.runbook_url "
                     "in the inventory")
    notes += [f"skipped {file}: {reason}" for file, reason in ruleset.skipped]
    alerts = {name: rules[0].file for name, rules in ctx.rules_by_name.items()}
    for alert in inventory.alerts:
        alerts.setdefault(alert.name, alert.pos.file)
    return LintResult(tuple(sorted(findings, key=Finding.sort_key)), coverage_of(ctx), tuple(notes),
                      ruleset.files, ruleset.skipped, waived, tuple(sorted(alerts.items())))


def coverage_of(ctx: LintContext) -> Coverage:
    names = ctx.rules_by_name
    exempt = {n for n, rules in names.items() if all(ctx.is_exempt(r) for r in rules)}
    with_runbook = {n for n in names if ctx.inventory.alert(n)}
    required = set(names) - exempt
    alerting = sum(len(r) for r in names.values())
    return Coverage(alerting_rules=alerting, recording_rules=len(ctx.ruleset.rules) - alerting, alerts=len(names),
                    with_runbook=len(with_runbook), exempt=len(exempt), required=len(required),
                    covered=len(required & with_runbook))


def run_lint(inventory_path: str, rules: tuple[str, ...] = (), config_path: str | None = None,
             day: dt.date | None = None) -> LintResult:
    """Load, read and lint: what ``runbookgen lint`` does. Raises InputError for unusable input."""
    with cycle_collector_paused():
        return _run_lint(inventory_path, rules, config_path, day)


def _run_lint(inventory_path: str, rules: tuple[str, ...], config_path: str | None,
              day: dt.date | None) -> LintResult:
    from runbookgen.inventory.load import load_inventory_document
    from runbookgen.rules.background import RuleReader

    base_dir = os.path.dirname(os.path.abspath(inventory_path))
    # Start on the rule files before the inventory is loaded: the ones given, or the ones its
    # lint block names, looked up ahead; the full load below confirms them.
    patterns, base = (rules, ".") if rules else (_lint_rules_ahead(inventory_path), base_dir)
    reader = RuleReader(patterns, base) if patterns else None
    try:
        doc = load_inventory_document(inventory_path)
        if not rules:
            written = doc.data.get("lint", {}).get("rules") if isinstance(doc.data.get("lint"), dict) else None
            written = patterns_of(written)  # None when not usable: the schema check below says what is wrong
            if reader is not None and (written is None or tuple(written) != reader.patterns):
                reader.cancel()
                reader = None
            if reader is None and written:
                reader = RuleReader(written, base_dir)
        inventory, duplicates = load_inventory_for_lint(inventory_path, doc=doc)
        if reader is None:
            raise InputError([Problem(inventory.lint.pos or Position(inventory.path, 1, 1),
                                      "no rule files to check: pass --rules, or list them under lint: rules: "
                                      "in the inventory")])
        site_url, html_pages = _site(inventory, config_path)
        ruleset = reader.result(None if rules else inventory.lint.pos)
    finally:
        if reader is not None:
            reader.cancel()
    if ruleset.problems:
        raise InputError(list(ruleset.problems))
    return lint(inventory, ruleset, duplicates=duplicates, site_url=site_url, html_pages=html_pages, day=day)


def _lint_rules_ahead(inventory_path: str) -> tuple[str, ...]:
    """``lint: rules:`` of the inventory file, read ahead of the full load; () when that is not simple."""
    from runbookgen.rules.yamlevents import top_level_value

    if not os.path.isfile(inventory_path):
        return ()  # missing, or a FIFO or device that opening could block on: the full load reports it
    try:
        with open(inventory_path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return ()  # the full load reports it
    block = top_level_value(text, "lint")
    return patterns_of(block.get("rules") if isinstance(block, dict) else None) or ()


def _site(inventory: Inventory, config_path: str | None) -> tuple[str, bool]:
    published = published_site(inventory, config_path)
    return published.site_url, published.html_pages