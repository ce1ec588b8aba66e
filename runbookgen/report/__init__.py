"""Output formats of `runbookgen lint`.

Choose one with `--format`; `--output FILE` writes it to a file instead of
standard output. Every format lists the same findings, sorted by file, line,
column and code. The exit code does not depend on the format: 0 when no finding
is at or above the failing level (`--fail-level`, default `error`), 1 when one
is, 2 when the input could not be used (then nothing but the problems is printed,
on standard error).

## text

One line per finding, then notes, then a summary:

```text
rules/app.yaml:12:9: error RB001 alert 'CheckoutDown' has no runbook in runbooks.yaml [missing-runbook]
runbooks.yaml:40:5: warning RB013 runbook 'CheckoutSlow' has never been reviewed (no last_reviewed date) [stale-review]
note: skipped rules/kustomization.yaml: not a rule file: no top-level groups: list and no rule resource (PrometheusRule, VMRule, Loki AlertingRule or RecordingRule, Grafana AlertRule)
12 alerts in 2 rule files (14 alerting rules, 3 recording rules); 11 with a runbook, 1 exempt; coverage 90.9% (10 of 11); 1 error, 1 warning, 0 info
```

The position is `file:line:column`, 1-based, of the rule's `alert:` key, of the
annotation or label value at fault, or of the inventory entry. Levels are
coloured when standard output is a terminal (`--color` forces it on or off;
`NO_COLOR` turns it off).

## json

A stable document, one object (keys in this order, two-space indentation):

```json
{
  "version": 1,
  "tool": {"name": "runbookgen", "version": "0.1.0"},
  "findings": [
    {"code": "RB001", "name": "missing-runbook", "level": "error", "file": "rules/app.yaml",
     "line": 12, "column": 9, "alert": "CheckoutDown",
     "message": "alert 'CheckoutDown' has no runbook in runbooks.yaml"}
  ],
  "summary": {"alerting_rules": 14, "recording_rules": 3, "alerts": 12, "alerts_with_runbook": 11,
              "alerts_exempt": 1, "alerts_requiring_runbook": 11, "alerts_covered": 10,
              "coverage_percent": 90.9, "errors": 1, "warnings": 1, "info": 0, "waived": 0,
              "rule_files": ["rules/app.yaml", "rules/loki/app.yaml"]},
  "notes": ["..."],
  "skipped": [{"file": "rules/kustomization.yaml", "reason": "..."}]
}
```

`version` changes only when a field changes meaning or disappears; new fields may
be added. `alert` is `""` for findings that concern no alert (a recording rule).
`coverage_percent` has one decimal.

With `--prometheus URL` (or `lint.prometheus.url`), the document also has a `live`
object: `server`, `lookback`, and `queries`, one entry per PromQL runbook query with
`alert`, `query` (its index in the alert's `queries`), `file`, `line`, `column`,
`expr`, `no_data` (a selector of it matched nothing in the lookback, or stopped
matching), `error` (the server's message when running it failed, else `""`) and
`results` (series in its answer; `null` when it was not run because it holds
dashboard variables). `runbookgen build --live-results FILE` shows these beside
each query on the site.

## github

GitHub Actions workflow commands, which GitHub shows as annotations on the pull
request's changed lines: `::error file=F,line=L,col=C,title=RB001 missing-runbook::message`.
Levels map to `error`, `warning` and `notice`. Messages and properties are escaped
as the runner expects (`%`, CR and LF everywhere; `:` and `,` in properties too).
Notes become `::notice::` lines, and the summary ends the output as plain text.

## junit

JUnit XML for GitLab (`artifacts:reports:junit`), Jenkins and others: one test
suite, one test case per alert (named after it, `classname` the file that defines
it) and one per file for findings that concern no alert. A test case fails when
one of its findings is at or above the failing level; the failure's text lists
all of them. Findings below that level go to the test case's `system-out`.

## sarif

SARIF 2.1.0, accepted by GitHub code scanning
(`github/codeql-action/upload-sarif`). `tool.driver.rules` describes every check
(code as `id`, name, summary, default level, and its documentation page as
`help`); each result carries its `ruleId`, level (`error`, `warning`, `note`),
message, location (relative paths with `%SRCROOT%` as base) and a stable
`partialFingerprints` entry so that an alert keeps its identity when lines move.
"""

from __future__ import annotations

import importlib

_MODULES = {"text": "text", "json": "json_format", "github": "github", "junit": "junit", "sarif": "sarif"}
FORMATS = tuple(_MODULES)


def renderer(name: str):
    """The ``render(result, *, color, fail_level)`` function of a format; each is imported when asked for."""
    return importlib.import_module(f"runbookgen.report.{_MODULES[name]}").render


__all__ = ["FORMATS", "renderer"]
