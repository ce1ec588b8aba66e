"""Positions and problems: the values every stage returns instead of raising or printing.

Loading, validation and linting collect ``Problem`` objects; only the command line
turns them into text and exit codes.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from typing import NamedTuple


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices`` to ``word``, or "" when none is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def display_path(path: str) -> str:
    """How a path is shown in messages: relative to the working directory when below it."""
    rel = os.path.relpath(path)
    outside = rel == os.pardir or rel.startswith(os.pardir + os.sep)  # not a file named "..data.yaml"
    return os.path.normpath(path) if outside else rel


class Position(NamedTuple):
    """A place in a source file; ``line`` and ``col`` count from 1.

    A named tuple rather than a dataclass: loading records one for every key and value of a document
    (hundreds of thousands for a large inventory), and a tuple is made in a third of the time.
    """

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def line_col(text, offset: int) -> tuple[int, int]:
    """The line and column (from 1) of the character (or, in bytes, the byte) at ``offset`` of ``text``."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    return text.count(newline, 0, offset) + 1, offset - (text.rfind(newline, 0, offset) + 1) + 1


@dataclass(frozen=True)
class Problem:
    """One user-facing error: where it is and what is wrong."""

    pos: Position
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.pos.file, self.pos.line, self.pos.col, self.message)


class InputError(Exception):
    """Raised by a stage whose input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))
