"""The command group, shared options, and how problems become output and exit codes.

Exit codes: 0 success, 1 lint findings at the failing level, 2 usage or input error
(every problem printed as file:line:col: message on stderr, never a traceback).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

import click

from runbookgen import __version__
from runbookgen.problems import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

inventory_option = click.option(
    "--inventory", "-i", "inventory", default="runbooks.yaml", show_default=True,
    type=click.Path(dir_okay=True, readable=False),  # the loader reports unreadable files with their path
    help="The inventory file.")


config_option = click.option(
    "--config", "-f", "config", default=None, type=click.Path(dir_okay=False, readable=False),
    help="The mkdocs configuration (site_url, page style, theme). Default: mkdocs.yml beside the inventory, "
         "else built-in defaults. Every command uses the same one.")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def reports_problems(command):
    """Turn InputError into `file:line:col: message` lines on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{plural(len(err.problems), 'problem')} found", err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as err:  # a bug in runbookgen, not the user's input
            if os.environ.get("RUNBOOKGEN_DEBUG"):
                raise
            click.echo(f"runbookgen: internal error: {type(err).__name__}: {err}\n"
                       "This is a bug in runbookgen. Rerun with RUNBOOKGEN_DEBUG=1 to see where.", err=True)
            sys.exit(EXIT_BUG)

    return wrapper


class CommandGroup(click.Group):
    """The commands: each ``runbookgen.cli`` module registers its own; the modules in ``ON_DEMAND`` are imported
    only when one of their commands is asked for, so that ``runbookgen lint`` does not load the adopt
    commands. ``--help`` and ``commands`` list every command (tests/cli/test_command_loading.py keeps
    ``ON_DEMAND`` complete)."""

    ON_DEMAND = {"annotate": "adopt", "export-rules": "adopt", "import": "adopt", "init": "adopt",
                 "incident": "incident"}

    def __init__(self, *args, **kwargs):
        self._registering = self._all_loaded = False
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict:
        if not (self._registering or self._all_loaded):
            self._all_loaded = True
            for module in sorted(set(self.ON_DEMAND.values())):
                importlib.import_module(f"runbookgen.cli.{module}")
        return self._commands

    @commands.setter
    def commands(self, value: dict) -> None:
        self._commands = value

    def add_command(self, cmd, name=None) -> None:
        self._registering = True
        try:
            super().add_command(cmd, name)
        finally:
            self._registering = False

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self._commands and cmd_name in self.ON_DEMAND:
            importlib.import_module(f"runbookgen.cli.{self.ON_DEMAND[cmd_name]}")
        return self._commands.get(cmd_name)

    def list_commands(self, ctx) -> list[str]:
        return sorted({*self._commands, *self.ON_DEMAND})


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="runbookgen")
def main():
    """Runbooks as code for Prometheus and Loki alerting.

    Keep every alert's runbook in one YAML inventory (runbooks.yaml), check it,
    and build it into a searchable, offline-capable runbook site.

    \b
    Exit codes: 0 ok, 1 lint findings at the failing level, 2 usage or input error.
    """
