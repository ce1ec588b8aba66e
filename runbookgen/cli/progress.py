"""A progress bar for long site builds, drawn on a terminal only.

The command line creates one with ``terminal_progress(stderr)`` and passes it
to ``build(progress=...)``: in CI, in tests and in pipes there is no terminal,
so nothing is drawn and the output stays exactly as it was.
"""

from __future__ import annotations

import os
import time
from typing import TextIO


class ProgressBar:
    """``building site [############------------]  50%  1011/2022``, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, *, label: str = "building site", width: int = 30, interval: float = 0.1):
        self.stream = stream
        self.label = label
        self.width = width
        self.interval = interval
        self._last = 0.0
        self._drawn = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        share = min(done / total, 1.0) if total else 1.0
        filled = int(share * self.width)
        line = f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {share:4.0%}  {done}/{total}"
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def close(self) -> None:
        """Clear the line, so that what the command prints next starts clean."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0


def terminal_progress(stream: TextIO) -> ProgressBar | None:
    """A bar on ``stream`` when it is a terminal and this is not CI (``CI`` set, as CI services do); else None."""
    if os.environ.get("CI") or not hasattr(stream, "isatty") or not stream.isatty():
        return None
    if os.environ.get("TERM") == "dumb":
        return None
    return ProgressBar(stream)
