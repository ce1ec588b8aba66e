"""Build time per KB of inventory prose, from 1 KB to 1 MB: it must stay flat (every text transform is linear).

    python bench/bench_prose.py                       # every kind, 1 KB .. 1 MB; about 15 minutes
    python bench/bench_prose.py --kinds text brackets --sizes 1 16 256 --no-build

Prose of each kind -- ordinary runbook text and the shapes that made the first version's regular
expressions quadratic (lines starting ``[a``, unclosed brackets, backticks and emphasis, ...) -- is put
into one alert's description. Two figures per size, CPU time of this process and its children:

- **prose**: every step a build takes on that text (the ``md`` filter's CommonMark rendering and
  sanitizing, attaching and taking off the page's values, swapping them into the page's HTML, and
  checking the result), repeated until at least 64 KB went through, so that 1 KB is measured as
  precisely as 1 MB;
- **build**: ``runbookgen build`` of the whole site with that description, minus the same build with an
  empty description (the site's fixed cost), per KB: shown from 16 KB on, where it stands clear of
  the fixed cost's noise.

Results go to bench/RESULTS-prose.md (``--no-record``: print only).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

KINDS = {
    "text": "Restart the **api** pods with `kubectl rollout restart`, then see [the dashboard](https://grafana"
            ".example.com/d/x) and check *p99* latency:\n\n- errors < 1%\n- queue < 100\n\n",
    "brackets": "[a\n",
    "nested": "[",
    "links": "[x](",
    "backticks": "`a ",
    "emphasis": "*a _b ",
    "refdefs": "[a]: https://x.example/b\n",
    "quotes": "> [a\n",
    "escapes": "\\`<img src=x onerror=y>",
}
SIZES = (1, 4, 16, 64, 256, 1024)
MIN_PROSE = 64 * 1024


def prose_of(kind: str, kb: int) -> str:
    unit = KINDS[kind]
    return (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def prose_steps(text: str) -> None:
    """What a build does with one description, from the filter to the checked page."""
    from runbookgen.content import opaque
    from runbookgen.generate.filters import md_text
    from runbookgen.content.html_safety import unsafe_markup
    from runbookgen.engine.contentguard import swap_values

    with opaque.collecting() as values:
        token = str(md_text(text))
    markdown, taken = opaque.detach(values.attach(f"# Page\n\n{token}\n"))
    page = SimpleNamespace(toc=[], file=SimpleNamespace(src_uri="alerts/x.md"))
    files = SimpleNamespace(get_file_from_path=lambda path: SimpleNamespace(url_relative_to=lambda _page: path))
    html = swap_values(f"<h1 id=\"page\">Page</h1>\n<p>{token}</p>", taken, page, files, [])
    unsafe_markup(html)


def time_prose(text: str) -> float:
    rounds = max(1, MIN_PROSE // max(1, len(text)))
    prose_steps(text[:1024])  # first use loads the parser, the lexers and the HTML parser: not per KB
    start = cpu()
    for _ in range(rounds):
        prose_steps(text)
    return (cpu() - start) / rounds


def inventory(description: str) -> str:
    import json

    return ("version: 1\nservice:\n  name: Bench\n  team: sre\nalerts:\n  - name: ProseAlert\n    severity: critical\n"
            f"    summary: Prose.\n    description: {json.dumps(description)}\n")


def time_build(folder: Path, description: str) -> float:
    (folder / "runbooks.yaml").write_text(inventory(description), encoding="utf-8")
    start = cpu()
    proc = subprocess.run([sys.executable, "-m", "runbookgen", "build", "--no-cache", "--jobs", "1"], cwd=folder,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    spent = cpu() - start
    if proc.returncode:
        raise SystemExit(f"build failed:\n{proc.stderr}")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES), help="KB")
    parser.add_argument("--no-build", action="store_true", help="only the prose steps, not whole builds")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-prose-") as scratch:
        folder = Path(scratch)
        base = None if args.no_build else min(time_build(folder, "") for _ in range(3))
        for kind in args.kinds:
            for kb in args.sizes:
                text = prose_of(kind, kb)
                prose_ms = time_prose(text) * 1000 / kb
                build_ms = None
                if base is not None and kb >= 16:
                    build_ms = max(0.0, time_build(folder, text) - base) * 1000 / kb
                rows.append((kind, kb, prose_ms, build_ms))
                shown = f"{build_ms:8.2f}" if build_ms is not None else "       -"
                print(f"{kind:10} {kb:5} KB  prose {prose_ms:8.2f} ms/KB  build {shown} ms/KB", flush=True)
    if not args.no_record:
        record(rows, base)


def record(rows, base) -> None:
    lines = ["# Prose: build time per KB of inventory prose", "",
             f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} with `python bench/bench_prose.py` "
             "(CPU time; see the script's docstring for what each column covers). "
             + (f"The fixed cost of the site's build, subtracted from the build column: {base:.2f} s." if base else ""),
             "", "| kind | size | prose, ms per KB | build, ms per KB |", "|---|---:|---:|---:|"]
    for kind, kb, prose_ms, build_ms in rows:
        lines.append(f"| {kind} | {kb} KB | {prose_ms:.2f} | {'' if build_ms is None else f'{build_ms:.2f}'} |")
    (REPO / "bench" / "RESULTS-prose.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
