"""The command line: parse arguments, call one stage, print its result, choose the exit code.

Each module here holds a few click commands and nothing else; the work happens
in the stage it calls. Importing a module registers its commands on ``main``; the
adopt and incident commands are imported when asked for (``base.CommandGroup``).
"""

from runbookgen.cli import core, lint  # noqa: F401  (importing registers the commands)
from runbookgen.cli.base import main

__all__ = ["main"]
