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

import datetime as dt
from dataclasses import dataclass

from runbookgen.addresses import DEFAULT_PATTERN, PatternError, UrlPattern

from runbookgen.checks.base import LEVELS, OFF, Finding, level_rank
from runbookgen.checks.context import LintContext
from runbookgen.checks.registry import CHECKS, check_keys, find_check
from runbookgen.inventory.model import Inventory
from runbookgen.live.results import LiveResults
from runbookgen.problems import did_you_mean
from runbookgen.problems import InputError, Position, Problem
from runbookgen.clock import today
from runbookgen.gcpause import cycle_collector_paused
from runbookgen.project import Project
from runbookgen.rules import RuleSet
from runbookgen.rulers import patterns_of


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
    live: LiveResults | None = None  # what the live checks' server said, when one was asked

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def fails(self, fail_level: str) -> bool:
        """True when a finding is at ``fail_level`` or more severe (``never`` never fails)."""
        if fail_level not in LEVELS:
            return False
        return any(level_rank(f.level) <= level_rank(fail_level) for f in self.findings)


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


def url_pattern(inventory: Inventory, site_url: str) -> UrlPattern | None:
    """The pattern of expected runbook_url values, or None when they cannot be known (see runbook-url-mismatch)."""
    text = inventory.lint.runbook_url or (DEFAULT_PATTERN if site_url else "")
    if not text:
        return None
    try:
        pattern = UrlPattern.parse(text)
    except PatternError as err:  # validate reports it too; lint can be given an inventory it never saw
        raise InputError([Problem(inventory.lint.pos or Position(inventory.path, 1, 1),
                                  f"lint.runbook_url {text!r} is not a usable pattern: {err}")]) from None
    return None if pattern.uses("site_url") and not site_url else pattern


def lint(inventory: Inventory, ruleset: RuleSet, *, duplicates: tuple = (), site_url: str = "",
         html_pages: bool = True, day: dt.date | None = None, only: frozenset[str] | None = None,
         live: LiveResults | None = None) -> LintResult:
    """Run every check, or the ones named in ``only``; see the module docstring for how levels and waivers apply.

    With ``only``, the findings of the other checks are simply absent: the waiver checks, which judge
    waivers by what the other checks found, belong in ``only`` only together with every other check.
    """
    levels = configured_levels(inventory)
    ctx = LintContext(inventory, ruleset, day or today(), url_pattern(inventory, site_url), site_url, html_pages,
                      duplicates, live=live)
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
                      ruleset.files, ruleset.skipped, waived, tuple(sorted(alerts.items())), live)


def coverage_of(ctx: LintContext) -> Coverage:
    names = ctx.rules_by_name
    exempt = {n for n, rules in names.items() if all(ctx.is_exempt(r) for r in rules)}
    with_runbook = {n for n in names if ctx.inventory.alert(n)}
    required = set(names) - exempt
    alerting = sum(len(r) for r in names.values())
    return Coverage(alerting_rules=alerting, recording_rules=len(ctx.ruleset.rules) - alerting, alerts=len(names),
                    with_runbook=len(with_runbook), exempt=len(exempt), required=len(required),
                    covered=len(required & with_runbook))


def run_lint(project: Project, day: dt.date | None = None, *, prometheus: str | None = None,
             live: bool = True) -> LintResult:
    """Load, read and lint: what ``runbookgen lint`` does. Raises InputError for unusable input.

    With a Prometheus URL (``prometheus``, else ``lint.prometheus.url``) the live checks ask that server;
    ``runbookgen.live.ServerUnreachable`` is raised when it cannot be asked. ``live=False`` skips them.
    """
    with cycle_collector_paused():
        return _run_lint(project, day, prometheus, live)


def _run_lint(project: Project, day: dt.date | None, prometheus: str | None, live: bool) -> LintResult:
    from runbookgen.inventory.kept import finish, kept_inventory
    from runbookgen.queries.promql import load_kept_verdicts
    from runbookgen.rules.background import RuleReader

    load_kept_verdicts()  # before the rule reader's worker starts, so that it has them too

    # The rule files are read in a worker process while the inventory is checked: the ones given on the
    # command line from the start, the ones the inventory lists as soon as its YAML is read. An inventory
    # unchanged since an earlier run is taken from the user's cache (see inventory.kept); that leaves too
    # little to do beside the worker to pay for sending its rules back, so this process reads them.
    kept = kept_inventory(project.inventory_path)
    reader = RuleReader(project.rules, ".", parallel=kept is None) if project.rules else None
    writers: list = []
    try:
        return _checked(project, kept, reader, prometheus, live, day, writers)
    finally:
        for writer in writers:
            finish(writer)


def _checked(project, kept, reader, prometheus, live, day, writers: list) -> LintResult:
    from runbookgen.inventory import check_inventory, read_inventory
    from runbookgen.inventory.kept import keep_inventory
    from runbookgen.queries.promql import keep_verdicts
    from runbookgen.rules.background import RuleReader

    try:
        if kept is not None:
            inventory, written = kept
        else:
            doc = read_inventory(project.inventory_path)
            written = _rule_patterns(doc.data)
        if reader is None and written:
            reader = RuleReader(written, project.base_dir, parallel=kept is None)
        if kept is None:
            inventory = check_inventory(doc, project.inventory_path, duplicate_alerts_as_data=True)
            writers.append(keep_inventory(project.inventory_path, doc, inventory, written))
        if reader is None:
            raise InputError([Problem(inventory.lint.pos or Position(inventory.path, 1, 1),
                                      "no rule files to check: pass --rules, or list them under lint: rules: "
                                      "in the inventory")])
        ruleset = reader.result(None if project.rules else inventory.lint.pos)
    finally:
        if reader is not None:
            reader.cancel()
    if ruleset.problems:
        raise InputError(list(ruleset.problems))
    from runbookgen.live import live_results

    answers = live_results(inventory, ruleset, prometheus) if live else None
    result = lint(inventory, ruleset, duplicates=inventory.duplicates, site_url=project.site.site_url,
                  html_pages=project.site.html_pages, day=day, live=answers)
    keep_verdicts()
    return result


def _rule_patterns(data) -> tuple[str, ...]:
    """The inventory document's ``lint: rules:`` as patterns (a named ruler as a ``ruler:`` prefix); () when
    they are not usable (the schema check says what is wrong with them)."""
    block = data.get("lint") if isinstance(data, dict) else None
    return patterns_of(block.get("rules") if isinstance(block, dict) else None) or ()
