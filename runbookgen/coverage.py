"""The coverage page's facts: which alerts of the rule files have runbooks, and which runbooks lost their alert.

Computed by the lint stage on the rule files the inventory lists under ``lint.rules``; the
build hands the result to the generate stage, which only draws it.
Review staleness is left to the page itself (computed in the reader's browser, like
on alert pages), so the generated Markdown stays the same from one day to the next.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from runbookgen.digests import file_digest
from runbookgen.project import SiteConfig

_A_LONG_TIME_AGO = dt.date(2000, 1, 1)  # lint's clock for this page: nothing is stale, no waiver expired
_CHECKS = frozenset({"missing-runbook", "orphan-runbook"})  # all this page shows; query checks are lint's


@dataclass(frozen=True)
class Coverage:
    rule_files: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]  # (alert name, rule file:line) needing a runbook
    orphans: tuple[str, ...]  # runbooks whose alert no rule file defines
    not_required: tuple[str, ...]  # alerts without a runbook that are exempt or waived
    covered: int
    required: int
    percent: float
    problems: tuple[str, ...] = ()  # rule files that could not be read
    rule_sources: tuple[tuple[str, str], ...] = ()  # (absolute path, digest) of every rule file read


def coverage_of(inventory, site: SiteConfig) -> Coverage | None:
    """None when the inventory lists no rule files. Uses the inventory the build already loaded."""
    from runbookgen.lint import lint
    from runbookgen.rules import read_rules

    if not inventory.lint.rules:
        return None
    ruleset = read_rules(inventory.lint.rules, inventory.base_dir, where=inventory.lint.pos)
    sources = tuple(sorted((os.path.abspath(f), file_digest(f)) for f in ruleset.files if os.path.isfile(f)))
    if ruleset.problems:
        return Coverage((), (), (), (), 0, 0, 0.0, tuple(str(p) for p in ruleset.problems), sources)
    result = lint(inventory, ruleset, site_url=site.site_url, html_pages=site.html_pages,
                  day=_A_LONG_TIME_AGO, only=_CHECKS)
    base = inventory.base_dir

    def shown(path: str) -> str:  # relative to the inventory, not to wherever the build was started
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")

    missing = sorted({(f.alert, f"{shown(f.pos.file)}:{f.pos.line}") for f in result.findings
                      if f.name == "missing-runbook" and f.alert})
    missing_names = {name for name, _ in missing}
    orphans = sorted({f.alert for f in result.findings if f.name == "orphan-runbook" and f.alert})
    in_rules = {name for name, file in result.alerts if file in result.files}
    not_required = sorted(n for n in in_rules if inventory.alert(n) is None and n not in missing_names)
    return Coverage(tuple(shown(f) for f in result.files), tuple(missing), tuple(orphans), tuple(not_required),
                    result.coverage.covered, result.coverage.required, result.coverage.percent, (), sources)

