"""The run read no rule at all, so every other rule check passed without looking.

## What it catches

A lint run whose rule paths gave no alerting or recording rule: every file was
skipped (a Helm chart's templates, files that are not rule files), empty, or the
folder held nothing lint reads. The finding says how many files were skipped and
why; each skipped file is also listed in the notes with its reason.

## Why it matters

Without this check such a run is green: "coverage 100.0% (0 of 0)". A chart whose
rules are all `{{ ... }}` templates (Giant Swarm's 113 files, for example) would
pass CI for ever while nothing was checked.

## Example

```yaml
# helm/templates/alerts.yaml: not YAML until Helm renders it
groups:
  - name: {{ .Values.group }}
```

## How to fix

Lint what the ruler really loads: render the chart first and lint the output
(`helm template . --output-dir rendered && runbookgen lint --rules rendered/`),
or point `lint.rules` at the right files. If a run without rules is expected (a
new project, rules kept elsewhere), say so in the inventory:

```yaml
lint:
  checks:
    no-rules-checked: off
```
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.problems import Position

CODE = "RB021"
NAME = "no-rules-checked"
LEVEL = "error"

TEMPLATE_WORDS = "Helm or Go template"


def check(ctx):
    ruleset = ctx.ruleset
    if ruleset.rules:
        return
    where = ctx.inventory.lint.pos or Position(ctx.inventory.path, 1, 1)
    templates = sum(1 for _, reason in ruleset.skipped if TEMPLATE_WORDS in reason)
    others = len(ruleset.skipped) - templates
    parts = []
    if templates:
        parts.append(f"{templates} skipped as Helm or Go templates (render them first, for example with "
                     "helm template, and lint the output)")
    if others:
        parts.append(f"{others} skipped as not rule files")
    if ruleset.files:
        parts.append(f"{len(ruleset.files)} read with no rule in {'it' if len(ruleset.files) == 1 else 'them'}")
    found = "; ".join(parts) if parts else "no file found"
    yield Report(where, f"no rule was checked: of {len(ruleset.skipped) + len(ruleset.files)} rule files, {found}. "
                        "If that is expected, set lint.checks: {no-rules-checked: off} in the inventory")
