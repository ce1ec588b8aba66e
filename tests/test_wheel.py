"""The wheel carries its templates, schema and assets: installed on its own, it builds the example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

from support import REPO
from test_build import copy_example


def test_wheel_installed_tool_builds_the_example(tmp_path):
    source = tmp_path / "source"  # a copy, so the build leaves nothing behind in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "runbookgen", source / "runbookgen", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("runbookgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("runbookgen/inventory/schema.json", "runbookgen/templates/alert.md.j2",
                   "runbookgen/assets/runbookgen.css", "runbookgen/assets/iframe-worker-shim.js"):
        assert needed in names
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    folder = copy_example(tmp_path / "work")
    # PYTHONPATH puts the installed wheel before the editable checkout; the dependencies come from this environment
    env = {**os.environ, "PYTHONPATH": str(target), "NO_MKDOCS_2_WARNING": "1"}
    where = subprocess.run([sys.executable, "-c", "import runbookgen; print(runbookgen.__file__)"], cwd=folder,
                           env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(target))
    result = subprocess.run([sys.executable, "-m", "runbookgen", "build"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (folder / "site" / "alerts" / "index.html").is_file()
