"""The pipeline's shape, enforced: data flows one way, and only the engine package touches mkdocs.

docs/architecture.md describes each package and what it may import; this test fails when a
forbidden arrow appears. Imports inside functions count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "runbookgen"

# package (or module) -> what it must never import, directly or inside a function
FORBIDDEN = {
    "inventory": ("rules", "queries.promql", "queries.logql", "checks", "lint", "coverage", "generate", "engine",
                  "output", "build", "cli", "report", "adopt", "project"),
    "rules": ("inventory.load", "inventory.validate", "inventory.semantic", "inventory.partial", "checks", "lint",
              "coverage", "generate", "engine", "output", "build", "cli", "report", "adopt"),
    "queries": ("inventory.load", "inventory.validate", "rules", "checks", "lint", "coverage", "generate", "engine",
                "output", "build", "cli", "report", "adopt"),
    "checks": ("lint", "coverage", "report", "generate", "engine", "output", "build", "cli", "adopt"),
    "lint": ("generate", "engine.material", "engine.partial", "output", "build", "cli", "report", "adopt"),
    "generate": ("lint", "coverage", "checks", "report", "engine", "output", "build", "cli", "adopt", "rules"),
    "engine": ("inventory", "generate", "lint", "coverage", "checks", "rules", "queries", "report", "output",
               "build", "cli", "adopt", "project"),
    "output": ("generate", "lint", "checks", "report", "build", "cli", "adopt"),
    "report": ("generate", "engine", "output", "build", "cli", "adopt"),
    "adopt": ("generate", "engine", "output", "build", "cli", "report"),
    "addresses": ("inventory", "rules", "checks", "lint", "generate", "engine", "output", "build", "cli"),
    "project": ("generate", "lint", "checks", "report", "output", "build", "cli", "adopt"),
    "processes": ("inventory", "generate", "engine", "output", "build", "cli", "lint"),
    "content": ("inventory", "generate", "engine", "output", "lint", "checks", "rules", "build", "cli", "report"),
    "live": ("checks", "lint", "coverage", "generate", "engine", "output", "build", "cli", "report", "adopt"),
    "pathglob": ("inventory", "rules", "checks", "lint", "generate", "engine", "output", "build", "cli", "adopt"),
}
ENGINE_LIBRARIES = ("mkdocs", "material", "pymdownx")
RETIRED_LIBRARIES = ("promql_parser",)  # our own parser reads PromQL everywhere (queries/promql.py)
# Walking folders for the user's patterns is pathglob's job alone: the one expander, with the one loop guard.
OWN_GLOBBING = {"glob": ("glob", "iglob"), "os": ("walk",), "fnmatch": ("fnmatch", "filter", "translate")}
PATTERN_READERS = ("inventory", "rules", "project")
# Reading YAML is yamlread's job alone (positions, limits, duplicate keys, aliases); the engine reads mkdocs.yml
# through mkdocs's own loader (its !ENV and !relative tags). Writing YAML (yaml.dump) is anyone's.
YAML_READING = frozenset({"load", "safe_load", "load_all", "safe_load_all", "full_load", "unsafe_load", "compose",
                          "compose_all", "parse", "scan", "Loader", "SafeLoader", "CSafeLoader", "CLoader",
                          "FullLoader", "BaseLoader", "CBaseLoader", "CParser"})
YAML_READERS = ("yamlread", "engine")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield ".".join(parts), path


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module.split(".")[:-1] if not path.name == "__init__.py" else module.split(".")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(["runbookgen", *base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _owner(module: str) -> str | None:
    for key in sorted(FORBIDDEN, key=len, reverse=True):
        if module == key or module.startswith(key + "."):
            return key
    return None


def _violations():
    for module, path in _modules():
        owner = _owner(module)
        for name, line in _imports(path, module):
            top = name.split(".")[0]
            if top in ENGINE_LIBRARIES and not module.startswith("engine"):
                yield f"runbookgen/{path.relative_to(PACKAGE)}:{line}: imports {name} outside runbookgen/engine"
            if top in RETIRED_LIBRARIES:
                yield f"runbookgen/{path.relative_to(PACKAGE)}:{line}: imports {name}, no longer a dependency"
            if owner is None or not name.startswith("runbookgen."):
                continue
            target = name.removeprefix("runbookgen.")
            for banned in FORBIDDEN[owner]:
                if target == banned or target.startswith(banned + "."):
                    yield f"runbookgen/{path.relative_to(PACKAGE)}:{line}: {owner} must not import runbookgen.{banned}"


def _own_globbing():
    """Calls like glob.glob(), os.walk() or fnmatch in the modules that expand the user's paths."""
    for module, path in _modules():
        if not any(module == reader or module.startswith(reader + ".") for reader in PATTERN_READERS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.attr in OWN_GLOBBING.get(node.value.id, ())):
                yield f"runbookgen/{path.relative_to(PACKAGE)}:{node.lineno}: {node.value.id}.{node.attr}: " \
                      "expand paths with runbookgen.pathglob"


def _own_yaml_reading():
    """PyYAML's readers used (called, or imported by name) outside yamlread."""
    for module, path in _modules():
        if any(module == reader or module.startswith(reader + ".") for reader in YAML_READERS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            used = None
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml"
                    and node.attr in YAML_READING):
                used = f"yaml.{node.attr}"
            elif isinstance(node, ast.ImportFrom) and node.module == "yaml":
                used = next((f"yaml.{a.name}" for a in node.names if a.name in YAML_READING), None)
            if used:
                yield f"runbookgen/{path.relative_to(PACKAGE)}:{node.lineno}: {used}: read YAML with runbookgen.yamlread"


def test_no_forbidden_import_arrow():
    assert list(_violations()) == []


def test_user_paths_are_expanded_by_pathglob_alone():
    assert list(_own_globbing()) == []


def test_yaml_is_read_by_yamlread_alone():
    assert list(_own_yaml_reading()) == []


def test_the_checker_sees_an_arrow_when_there_is_one(tmp_path, monkeypatch):
    """The test above can fail: a planted import is found."""
    fake = tmp_path / "runbookgen"
    (fake / "generate").mkdir(parents=True)
    (fake / "generate" / "bad.py").write_text("def f():\n    from runbookgen.lint import lint\n    import mkdocs\n")
    (fake / "live").mkdir()
    (fake / "live" / "bad.py").write_text("import promql_parser\nfrom runbookgen.checks import base\n")
    (fake / "rules").mkdir()
    (fake / "rules" / "walker.py").write_text("import os\nfor x in os.walk('.'):\n    pass\n")
    (fake / "adopt").mkdir()
    (fake / "adopt" / "reader.py").write_text("import yaml\nfrom yaml import CSafeLoader\nyaml.safe_load('a: 1')\n"
                                              "yaml.safe_dump({})\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    found = list(_violations())
    assert any("generate must not import runbookgen.lint" in v for v in found), found
    assert any("imports mkdocs outside runbookgen/engine" in v for v in found), found
    assert any("imports promql_parser, no longer a dependency" in v for v in found), found
    assert any("live must not import runbookgen.checks" in v for v in found), found
    assert [v.split(": ", 1)[1] for v in _own_globbing()] == ["os.walk: expand paths with runbookgen.pathglob"]
    assert sorted(v.split(": ", 1)[1] for v in _own_yaml_reading()) == [
        "yaml.CSafeLoader: read YAML with runbookgen.yamlread", "yaml.safe_load: read YAML with runbookgen.yamlread"]


@pytest.mark.parametrize("module", ["runbookgen.lint", "runbookgen.cli"])
def test_lint_does_not_load_the_site_engine(module):
    import subprocess
    import sys

    code = (f"import sys, {module}; from runbookgen.cli import main; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
