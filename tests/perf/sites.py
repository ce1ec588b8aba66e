"""Synthetic services to build, and ways to compare the sites they give."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from runbookgen.build import build

REPO = Path(__file__).resolve().parents[2]
EPOCH = "1767225600"  # 2026-01-01: fixed dates, so two builds of the same inputs give the same bytes


def _synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synth = _synth()


def service(folder: Path, alerts: int) -> Path:
    """A service of ``alerts`` synthetic alerts (every section filled), with mkdocs.yml and rule files."""
    synth.write(alerts, str(folder))
    return folder


def run(folder: Path, **options):
    from runbookgen.project import resolve_project

    project = resolve_project(str(folder / "runbooks.yaml"), config=str(folder / "mkdocs.yml"))
    return build(project, site_dir=str(folder / "site"), **options)


def clean_build(folder: Path, into: Path) -> dict[str, bytes]:
    """The same inputs built from scratch elsewhere, with no cache: the reference every other build must equal."""
    into.mkdir(parents=True)
    for name in ("runbooks.yaml", "mkdocs.yml"):
        shutil.copy(folder / name, into / name)
    for name in ("templates", "rules", "teams"):  # rules: the coverage page is built from them; teams: included
        if (folder / name).is_dir():
            shutil.copytree(folder / name, into / name)
    result = run(into, cache=False, jobs=1)
    assert result.mode == "full"
    return files(into / "site")


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(left: dict[str, bytes], right: dict[str, bytes]) -> list[str]:
    """What tells two sites apart, for the assertion message ([] when identical)."""
    found = [f"only in the first: {p}" for p in sorted(set(left) - set(right))]
    found += [f"only in the second: {p}" for p in sorted(set(right) - set(left))]
    found += [f"differs: {p}" for p in sorted(set(left) & set(right)) if left[p] != right[p]]
    return found


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))
