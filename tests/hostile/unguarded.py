"""``runbookgen`` with its content defences switched off: proves that the hostile tests can fail.

    RUNBOOKGEN_HOSTILE_UNGUARDED=1 python -m pytest tests/browser/test_hostile_site.py tests/browser/test_injection.py

builds the hostile sites through this module instead of ``python -m runbookgen``: every filter puts its
value into the Markdown as written (as the first version of runbookgen came close to doing), and the
build neither sanitizes, nor checks its pages, nor adds a Content-Security-Policy. Those runs must fail;
the normal runs must pass.
"""

from __future__ import annotations

import sys

from markupsafe import Markup


def switch_off_defences() -> None:
    import runbookgen.generate.filters as filters
    import runbookgen.generate.render as render
    import runbookgen.engine.contentguard as contentguard

    def raw(value, *_args, **_kwargs):
        return Markup(str(value or ""))

    for name in ("md", "md_inline", "md_cell", "code", "attr", "text", "url"):
        filters.FILTERS[name] = raw
    filters.FILTERS["fence"] = lambda code, language="": Markup(f"```{language}\n{code}\n```")
    render.finalize = lambda value: Markup(value) if isinstance(value, str) else value
    render.unsafe_markup = contentguard.unsafe_markup = lambda *_args, **_kwargs: []
    contentguard._protect = lambda output, _where: output


if __name__ == "__main__":
    switch_off_defences()
    from runbookgen.cli import main

    sys.exit(main(sys.argv[1:], prog_name="runbookgen"))
