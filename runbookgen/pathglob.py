"""Glob patterns over the file system, the one expander for ``include:`` and rule paths.

Like ``glob.glob(pattern, recursive=True)``: ``*``, ``?`` and ``[...]`` match within one
path component, ``**`` matches any number of folders, and names starting with a dot are
matched only by a pattern component that starts with a dot. Unlike it, a walk never enters
the same folder twice (a symlink loop, or two links to one folder, cannot make it run
forever or blow up), and it stops at ``MAX_ENTRIES`` entries looked at.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re

MAX_ENTRIES = 200_000


class TooManyEntries(Exception):
    """The pattern reaches more than MAX_ENTRIES folder entries."""


def has_magic(pattern: str) -> bool:
    return glob.has_magic(pattern)


def glob_paths(pattern: str, base_dir: str = ".") -> list[str]:
    """Every existing path ``pattern`` (relative to ``base_dir`` unless absolute) matches, sorted.

    Folders are included, as ``glob`` does; callers that want files filter them. ``base_dir`` is a
    folder's name, never a pattern (an inventory may live in ``team[1]/``).
    TooManyEntries when the walk is unreasonably large.
    """
    if not has_magic(pattern):
        full = os.path.join(base_dir, os.path.expanduser(pattern))
        return [full] if os.path.lexists(full) else []
    full = os.path.join(glob.escape(base_dir), os.path.expanduser(pattern))
    anchor, parts = _split(full)
    budget = [MAX_ENTRIES]
    found: set[str] = set()
    _match(anchor, parts, found, budget, frozenset())
    if full.endswith(os.sep):  # `teams/*/` names folders only
        return sorted(path + os.sep for path in found if os.path.isdir(path))
    return sorted(found)


def _split(path: str) -> tuple[str, list[str]]:
    """The longest leading part without magic, and the components after it."""
    drive_root = os.sep if path.startswith(os.sep) else ""
    parts = [p for p in path.split(os.sep) if p not in ("",)]
    anchor_parts = []
    while parts and not has_magic(parts[0]):
        anchor_parts.append(parts.pop(0))
    anchor = drive_root + os.sep.join(anchor_parts) if anchor_parts else (drive_root or os.curdir)
    return anchor, parts


def _folder_key(path: str):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _entries(folder: str, budget: list[int]) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return []
    budget[0] -= len(entries)
    if budget[0] < 0:
        raise TooManyEntries(folder)
    return entries


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a link to a folder; the visited set stops loops
    except OSError:
        return False


def _matcher(part: str):
    return re.compile(fnmatch.translate(part)).match


def _match(folder: str, parts: list[str], found: set[str], budget: list[int], visiting: frozenset) -> None:
    if not parts:
        found.add(folder)
        return
    part, rest = parts[0], parts[1:]
    if part == "**":
        key = _folder_key(folder)
        if key is None or key in visiting:
            return
        visiting = visiting | {key}
        _match(folder, rest, found, budget, visiting)  # ** matching no folder at all
        for entry in sorted(_entries(folder, budget), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = os.path.join(folder, entry.name)
            if _is_dir(entry):
                _match(path, parts, found, budget, visiting)
            elif not rest:
                found.add(path)  # `dir/**` matches files too, as glob's does
        return
    if not has_magic(part):
        path = os.path.join(folder, part)
        if os.path.lexists(path):
            _match(path, rest, found, budget, visiting)
        return
    matches = _matcher(part)
    hidden_ok = part.startswith(".")
    for entry in sorted(_entries(folder, budget), key=lambda e: e.name):
        if entry.name.startswith(".") and not hidden_ok:
            continue
        if not matches(entry.name):
            continue
        path = os.path.join(folder, entry.name)
        if rest and not _is_dir(entry):
            continue
        _match(path, rest, found, budget, visiting)
