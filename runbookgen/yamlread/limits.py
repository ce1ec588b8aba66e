"""The bounds every YAML reader keeps, so that no text can make reading slow, deep or huge."""

from __future__ import annotations

MAX_FILE_BYTES = 20 * 1024 * 1024  # a file larger than this is refused before it is parsed
MAX_DEPTH = 64  # a mapping or sequence nested deeper than this (the root is at 0) is refused
MAX_VALUES = 2_000_000  # keys and values one file may hold (a 20 MB inventory of complete runbooks holds 1.6M)
MAX_ALIAS_VALUES = 100_000  # values that aliases add to one file, each use expanded (an alias bomb)
MAX_EVENTS = 2_000_000  # events of one file read as a tree; a 20 MB file holds far fewer
