"""The adopt and incident commands are imported only when asked for: ``runbookgen --help``, every command's
help and the generated reference must be exactly what importing every command module up front gives, and a
lint run must not load the modules it does not use."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import runbookgen.cli
from support import REPO, run_cli

EAGER = ("import importlib, pkgutil, runbookgen.cli\n"
         "for m in pkgutil.iter_modules(runbookgen.cli.__path__):\n"
         "    importlib.import_module('runbookgen.cli.' + m.name)\n")


def _python(code: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, check=True)
    return proc.stdout


def test_every_command_is_listed_whether_its_module_was_imported_or_not():
    listed = _python("from runbookgen.cli import main\nimport click\n"
                     "print(*main.list_commands(click.Context(main)))").split()
    registered = _python(EAGER + "from runbookgen.cli.base import main\nprint(*sorted(main._commands))").split()
    assert listed == registered
    assert {"lint", "import", "annotate", "incident", "export-rules", "init"} <= set(listed)


def test_help_and_reference_are_those_of_an_eager_import():
    lazy = run_cli("--help")
    eager = _python(EAGER + "from runbookgen.cli import main\nmain(['--help'], prog_name='python -m runbookgen')")
    assert lazy.code == 0 and lazy.out == eager
    for name in ("import", "incident", "lint"):
        assert run_cli(name, "--help").out == _python(
            EAGER + f"from runbookgen.cli import main\nmain([{name!r}, '--help'], prog_name='python -m runbookgen')")
    reference = "from runbookgen.cli.reference import cli_reference_markdown\nprint(cli_reference_markdown())"
    assert _python(reference) == _python(EAGER + reference)
    assert "## runbookgen import" in _python(reference)


def test_an_on_demand_command_runs():
    result = run_cli("incident", "--help")
    assert result.code == 0 and "incident" in result.out


def test_lint_loads_neither_the_adopt_commands_nor_the_http_client(tmp_path):
    (tmp_path / "rules.yaml").write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"
                                         "        labels: {severity: warning}\n        annotations: {summary: s}\n")
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: S, escalation: [{name: On-call}]}\n"
                                            "alerts:\n  - {name: A, severity: warning, summary: s, "
                                            "last_reviewed: 2099-01-01}\n")
    code = ("import sys\nfrom runbookgen.cli import main\n"
            "try:\n    main(['lint', '--rules', 'rules.yaml'], prog_name='runbookgen')\n"
            "except SystemExit:\n    pass\n"
            "print('LOADED', *sorted(m for m in sys.modules if m in WATCHED))\n")
    watched = ["runbookgen.cli.adopt", "runbookgen.cli.incident", "http.client", "ssl", "runbookgen.live.client"]
    proc = subprocess.run([sys.executable, "-c", f"WATCHED = {watched!r}\n" + code], capture_output=True, text=True,
                          cwd=tmp_path)
    loaded = proc.stdout.split("LOADED", 1)[1].split() if "LOADED" in proc.stdout else None
    assert loaded == [], proc
    assert [m.name for m in pkgutil.iter_modules(runbookgen.cli.__path__) if m.name in ("adopt", "incident")]
