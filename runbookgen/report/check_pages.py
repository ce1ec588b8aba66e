"""The documentation pages of the checks, generated from their docstrings (docs/checks/).

``write_check_docs(folder)`` writes one page per check, an index, and the page
about output formats (from ``runbookgen.report``'s docstring); the test suite
fails when the committed pages differ from what this produces.
"""

from __future__ import annotations

import inspect
import os

from runbookgen.checks.base import summary_of
from runbookgen.checks.registry import CHECKS

_LEVEL_WORDS = {"error": "error", "warning": "warning", "info": "info"}


def _body(module) -> str:
    doc = inspect.cleandoc(module.__doc__ or "")
    return doc.split("\n", 1)[1].strip() if "\n" in doc else ""


def _default_shown(option) -> str:
    return f"`{option.default}`" if option.has_default else "none"


def options_section(check) -> str:
    """The check's settings, from its ``OPTIONS`` declarations ("" when it has none)."""
    options = getattr(check, "OPTIONS", ())
    if not options:
        return ""
    rows = "\n".join(f"| `lint.{o.key}` | {o.type_words()} | {_default_shown(o)} | {o.description}. |" for o in options)
    return f"""## Options

Set under `lint:` in the inventory.

| option | type | default | what it does |
| --- | --- | --- | --- |
{rows}

"""


def check_page(check) -> str:
    """The Markdown page of one check."""
    code, name = check.CODE, check.NAME
    return f"""# {code} {name}

{summary_of(check)}

Default level: **{_LEVEL_WORDS[check.LEVEL]}**.

{_body(check)}

{options_section(check)}## Configure or waive

Change its level, or turn it off, in the inventory (by code or by name):

```yaml
lint:
  checks:
    {name}: warning   # error, warning, info, or 'off' (quoted: YAML reads a bare off as false)
```

Accept one alert's finding for a while, with a reason and an expiry date:

```yaml
lint:
  waivers:
    - alert: SomeAlert
      check: {code}
      reason: Why this is acceptable for now
      expires: 2030-01-31
```
"""


def index_page() -> str:
    rows = "\n".join(f"| [{c.CODE}]({c.NAME}.md) | `{c.NAME}` | {c.LEVEL} | {summary_of(c)} |" for c in CHECKS)
    return f"""# Lint checks

`runbookgen lint` checks the inventory against the Prometheus and Loki rule files.
Every finding names its check by code and name; this page lists them. Levels can
be changed per check under `lint.checks`, and single findings waived under
`lint.waivers` (see any check's page). The output formats are described in
[Output formats](output-formats.md).

| code | name | default level | catches |
| --- | --- | --- | --- |
{rows}
"""


def formats_page() -> str:
    import runbookgen.report as report

    return "# Output formats\n\n" + inspect.cleandoc(report.__doc__) .split("\n", 1)[1].strip() + "\n"


def pages() -> dict[str, str]:
    """file name -> content of every generated page."""
    result = {f"{c.NAME}.md": check_page(c) for c in CHECKS}
    result["index.md"] = index_page()
    result["output-formats.md"] = formats_page()
    return result


def write_check_docs(folder: str) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, text in sorted(pages().items()):
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written
