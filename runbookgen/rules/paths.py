"""Turn rule paths, folders and globs into the list of files to read.

A file named directly must be a rule file. Files found by walking a folder or
matching a glob may be something else (a kustomization, a Helm chart's values);
those are skipped with a reason instead of failing the run.
"""

from __future__ import annotations

import glob
import os

RULE_FILE_SUFFIXES = (".yml", ".yaml")


def expand(pattern: str, base_dir: str) -> tuple[list[tuple[str, bool]], str]:
    """``[(path, named_directly)]`` for one pattern, or ``([], why nothing matched)``."""
    target = os.path.join(base_dir, os.path.expanduser(pattern))
    if glob.has_magic(pattern):
        found: list[tuple[str, bool]] = []
        for match in sorted(glob.glob(target, recursive=True)):
            if os.path.isdir(match):
                found += [(p, False) for p in _walk(match)]
            elif match.endswith(RULE_FILE_SUFFIXES) or os.path.isfile(match):
                found.append((match, False))
        return found, "" if found else f"no file matches {pattern!r}"
    if os.path.isdir(target):
        files = _walk(target)
        return [(p, False) for p in files], "" if files else f"folder {pattern!r} holds no .yml or .yaml file"
    if os.path.exists(target):
        return [(target, True)], ""
    return [], f"no such file or folder: {pattern!r}"


def _walk(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files)
                  if f.endswith(RULE_FILE_SUFFIXES) and not f.startswith(".")]
    return found
