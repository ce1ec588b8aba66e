"""Turn rule paths, folders and globs into the list of files to read.

A file named directly must be a rule file. Files found by walking a folder or
matching a glob may be something else (a kustomization, a Helm chart's values);
those are skipped with a reason instead of failing the run. A folder yields its
``.yml``, ``.yaml``, ``.rules`` (vmalert's and many Prometheus setups' name) and
``.json`` (Grafana's export) files.

Globs and folder walks go through ``runbookgen.pathglob``, the one expander (also
``include:``'s): it never follows a symbolic link back into a folder it is inside, so a
``**`` glob over a tree with symlink loops ends, and a walk too large to be a rule folder
stops with a reason. A ``ruler:`` prefix (``loki:rules/``) is not part of the path; see
``rulers``.
"""

from __future__ import annotations

import glob
import os

from runbookgen.pathglob import MAX_ENTRIES, TooManyEntries, glob_paths, has_magic
from runbookgen.rulers import split_ruler

RULE_FILE_SUFFIXES = (".yml", ".yaml", ".rules", ".json")


def expand(pattern: str, base_dir: str) -> tuple[list[tuple[str, bool]], str]:
    """``[(path, named_directly)]`` for one pattern, or ``([], why nothing matched)``."""
    pattern = split_ruler(pattern)[1]
    try:
        if has_magic(pattern):
            found: list[tuple[str, bool]] = []
            for match in glob_matches(pattern, base_dir):
                if os.path.isdir(match):
                    found += [(p, False) for p in _walk(match)]
                else:
                    found.append((match, False))
            return found, "" if found else f"no file matches {pattern!r}"
        target = os.path.join(base_dir, os.path.expanduser(pattern))
        if os.path.isdir(target):
            files = _walk(target)
            return ([(p, False) for p in files],
                    "" if files else f"folder {pattern!r} holds no .yml, .yaml, .rules or .json file")
    except TooManyEntries:
        return [], f"{pattern!r} reaches more than {MAX_ENTRIES:,} folder entries: name the rule folders themselves"
    if os.path.lexists(target):
        return [(target, True)], ""
    return [], f"no such file or folder: {pattern!r}"


def glob_matches(pattern: str, base_dir: str) -> list[str]:
    """The paths a glob matches, sorted. A pattern ending in ``**`` gives only the files: the folders
    it matches are walked anyway."""
    matches = glob_paths(pattern, base_dir)
    if os.path.basename(pattern.rstrip(os.sep)) == "**" and not pattern.endswith(os.sep):
        matches = [m for m in matches if not os.path.isdir(m)]
    return matches


def _walk(folder: str) -> list[str]:
    """Rule files below ``folder`` (not hidden, nor in hidden folders), each real file once, in the order
    a walk from the top finds them: a folder's files (sorted), then each sub-folder (sorted) in turn."""
    found = [p for p in glob_paths(os.path.join(glob.escape(folder), "**"))
             if p.endswith(RULE_FILE_SUFFIXES) and not os.path.isdir(p)]
    found.sort(key=lambda path: _walk_order(os.path.relpath(path, folder)))
    seen: set[str] = set()
    unique = []
    for path in found:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _walk_order(relative: str) -> tuple:
    *folders, name = relative.split(os.sep)
    return tuple((1, part) for part in folders) + ((0, name),)
