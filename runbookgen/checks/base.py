"""What every check shares: levels, the ``Report`` a check yields, and the ``Finding`` the linter keeps.

A check is a module with ``CODE`` (``RB001``), ``NAME`` (``missing-runbook``),
``LEVEL`` (its default level), ``OPTIONS`` when it reads settings under ``lint:``
(``Option`` values, see ``options.py``) and ``check(ctx)``, a generator of ``Report``
values. Its docstring is its documentation page; the first line is its summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from runbookgen.problems import Position

LEVELS = ("error", "warning", "info")  # most severe first
OFF = "off"


def level_rank(level: str) -> int:
    """0 for error, 1 for warning, 2 for info."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Report:
    """What a check found: where, what, which alert it concerns, and optionally a level of its own."""

    pos: Position
    message: str
    alert: str = ""
    level: str | None = None  # None: the check's configured or default level


@dataclass(frozen=True)
class Finding:
    """A report with its check's identity and the level it was given."""

    code: str
    name: str
    level: str
    pos: Position
    message: str
    alert: str = ""

    def sort_key(self) -> tuple:
        return (self.pos.file, self.pos.line, self.pos.col, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.pos}: {self.level} {self.code} {self.message} [{self.name}]"


def summary_of(module) -> str:
    return (module.__doc__ or "").strip().splitlines()[0].strip()
