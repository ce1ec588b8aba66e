"""Turn rule paths, folders and globs into the list of files to read.

A file named directly must be a rule file. Files found by walking a folder or
matching a glob may be something else (a kustomization, a Helm chart's values);
those are skipped with a reason instead of failing the run. A folder yields its
``.yml``, ``.yaml``, ``.rules`` (vmalert's and many Prometheus setups' name) and
``.json`` (Grafana's export) files.

Walking never follows a symbolic link to a folder it has already entered, so a
``**`` glob over a tree with symlink loops ends (each real folder is read once).
A ``ruler:`` prefix (``loki:rules/``) is not part of the path; see ``rulers``.
"""

from __future__ import annotations

import glob
import os
import re

from runbookgen.rulers import split_ruler

RULE_FILE_SUFFIXES = (".yml", ".yaml", ".rules", ".json")
MAX_FILES = 100_000  # a walk that finds more is not a rule folder (a home directory, a mount of the world)


def expand(pattern: str, base_dir: str) -> tuple[list[tuple[str, bool]], str]:
    """``[(path, named_directly)]`` for one pattern, or ``([], why nothing matched)``."""
    pattern = split_ruler(pattern)[1]
    target = os.path.join(base_dir, os.path.expanduser(pattern))
    if glob.has_magic(pattern):
        found: list[tuple[str, bool]] = []
        matches = _recursive_glob(target) if "**" in pattern else glob.glob(target)
        for match in sorted(matches):
            if os.path.isdir(match):
                found += [(p, False) for p in _walk(match)]
            elif match.endswith(RULE_FILE_SUFFIXES) or os.path.isfile(match):
                found.append((match, False))
        return found, "" if found else f"no file matches {pattern!r}"
    if os.path.isdir(target):
        files = _walk(target)
        return ([(p, False) for p in files],
                "" if files else f"folder {pattern!r} holds no .yml, .yaml, .rules or .json file")
    if os.path.lexists(target):
        return [(target, True)], ""
    return [], f"no such file or folder: {pattern!r}"


def _walk(folder: str) -> list[str]:
    """Rule files below ``folder``; symbolic links to folders are followed once per real folder."""
    found: list[str] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files)
                  if f.endswith(RULE_FILE_SUFFIXES) and not f.startswith(".")]
        if len(found) > MAX_FILES:
            break
    return found


def _recursive_glob(target: str) -> list[str]:
    """``glob.glob(target, recursive=True)``, except that each real folder is entered once.

    (The standard library's ``**`` follows symbolic links to folders without remembering where it has been,
    so two links back up the tree make it run for ever.)
    """
    parts = target.split(os.sep)
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = os.sep.join(parts[:fixed]) or (os.sep if target.startswith(os.sep) else ".")
    matcher = re.compile(_translate(parts[fixed:]), re.DOTALL)
    files_only = parts[-1] == "**"  # the folders it matches are below root, and walked here anyway
    found: list[str] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(dirs)
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative + os.sep
        for name in (sorted(files) if files_only else dirs + sorted(files)):
            if matcher.fullmatch(prefix + name):
                found.append(os.path.join(folder, name))
        if len(found) > MAX_FILES:
            break
    return found


def _translate(parts: list[str]) -> str:
    """A regular expression for the relative path ``parts`` match: ``**`` is any number of folders."""
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(r"(?:[^/.][^/]*/)*" if not last else r"(?:[^/.][^/]*/)*[^/.][^/]*")
            continue
        piece = "" if part.startswith(".") else r"(?!\.)"
        i = 0
        while i < len(part):
            ch = part[i]
            if ch == "*":
                piece += r"[^/]*"
            elif ch == "?":
                piece += r"[^/]"
            elif ch == "[" and _class_end(part, i) > 0:
                end = _class_end(part, i)
                inner = part[i + 1:end]
                inner = "^" + inner[1:] if inner.startswith("!") else inner
                piece += "[" + inner.replace("\\", "\\\\") + "]"
                i = end
            else:
                piece += re.escape(ch)
            i += 1
        out.append(piece + ("" if last else "/"))
    return "".join(out).replace("/", re.escape(os.sep))


def _class_end(part: str, start: int) -> int:
    """The index of the ``]`` closing the character class opened at ``start``, or -1."""
    j = start + 1
    if part[j:j + 1] in ("!", "^") and j < len(part):
        j += 1
    if part[j:j + 1] == "]":
        j += 1
    return part.find("]", j)
