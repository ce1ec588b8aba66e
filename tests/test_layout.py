"""The test tree mirrors the package: tests/<package>/ for runbookgen/<package>/, one file per check.

New tests go beside the code they test; a folder that mirrors nothing must be one of the few
that test across the pipeline (the browser, performance, hostile input, the lint stage's command).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent / "runbookgen"
ACROSS_THE_PIPELINE = {"browser", "perf", "hostile", "lint"}  # lint: runbookgen/lint.py and `runbookgen lint`


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "node_modules" not in p.parts and "fixtures" not in p.parts)


def test_every_test_folder_mirrors_a_package_or_tests_across_the_pipeline():
    folders = {p.relative_to(TESTS).parts[0] for p in _test_modules() if p.parent != TESTS}
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert folders - packages - ACROSS_THE_PIPELINE == set()


def test_each_check_test_file_names_a_check_module():
    for path in (TESTS / "checks").glob("test_*.py"):
        assert (PACKAGE / "checks" / path.name.removeprefix("test_")).is_file(), path.name


def test_test_module_names_are_unique():
    """Test folders are not packages, so pytest imports each test module by its file name alone."""
    counts = Counter(p.name for p in _test_modules())
    assert [name for name, count in counts.items() if count > 1] == []
