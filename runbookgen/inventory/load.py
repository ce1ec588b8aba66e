"""Load an inventory file and the files it includes into one positioned document.

``include:`` globs (relative to the including file) add the ``alerts``,
``health_checks``, ``procedures`` and ``slos`` lists of other files; their
positions keep pointing at the file each entry came from.
"""

from __future__ import annotations

import os

from runbookgen.pathglob import TooManyEntries, glob_paths, has_magic
from runbookgen.problems import InputError, Problem, display_path
from runbookgen.yamlread.document import YamlDocument, load_document

INCLUDABLE = ("alerts", "health_checks", "procedures", "slos")
MAX_INCLUDED_FILES = 1000


def include_matches(base_dir: str, pattern: str) -> list[str]:
    """The files one ``include:`` entry names, as the loader reads them (sorted; TooManyEntries)."""
    matches = glob_paths(pattern, base_dir)
    if has_magic(pattern):  # `teams/**` also matches folders; a folder named outright stays an error
        matches = [m for m in matches if not os.path.isdir(m)]
    return matches


def load_inventory_document(path: str) -> YamlDocument:
    """Load ``path`` and everything it includes into one document.

    Raises InputError when there is nothing usable to check further (unreadable file, YAML syntax
    error, not a mapping); every other problem (duplicate keys, include problems, problems inside
    an included file) is left on the document's ``problems`` so the schema check can add its own.

    The document records what was read, for the build's cache: ``sources`` (absolute path -> digest of
    every file read) and ``globs`` ((folder, pattern, matches) of every include entry).
    """
    root = load_document(path, display=display_path(path), keep_going=True)
    if not isinstance(root.data, dict):
        raise InputError(root.problems + [Problem(root.where(()),
                                                  "the inventory must be a YAML mapping (key: value pairs)")])
    root.sources = {os.path.abspath(path): root.digest}
    root.globs = []
    seen = {os.path.realpath(path)}
    _include(root, root, path, [os.path.realpath(path)], seen, root.problems)
    return root


def _include(root: YamlDocument, doc: YamlDocument, path: str, chain: list[str], seen: set, problems: list) -> None:
    patterns = doc.data.get("include") if isinstance(doc.data, dict) else None
    if patterns is None:
        return
    if doc is not root:
        doc.data.pop("include")
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        if doc is not root:  # the root's shape is checked by the schema
            problems.append(Problem(doc.where(("include",)), "include must be a list of file paths or globs"))
        return
    base = os.path.dirname(os.path.abspath(path))
    for index, pattern in enumerate(patterns):
        where = doc.where(("include", index))
        try:
            matches = include_matches(base, pattern)
        except TooManyEntries:
            problems.append(Problem(where, f"include {pattern!r} walks through more folder entries than "
                                           "runbookgen looks at; name a narrower folder"))
            continue
        root.globs.append((base, pattern, tuple(os.path.abspath(m) for m in matches)))
        if not matches:
            problems.append(Problem(where, f"include {pattern!r} matches no file"))
            continue
        for match in matches:
            real = os.path.realpath(match)
            if real in chain:
                cycle = " -> ".join(display_path(p) for p in chain[chain.index(real):] + [real])
                problems.append(Problem(where, f"include cycle: {cycle}"))
                continue
            if real in seen:
                continue  # included twice through different globs: once is enough
            seen.add(real)
            if len(seen) > MAX_INCLUDED_FILES:
                problems.append(Problem(where, f"more than {MAX_INCLUDED_FILES} included files"))
                return
            try:
                part = load_document(match, display=display_path(match), keep_going=True)
                root.sources[os.path.abspath(match)] = part.digest
                problems.extend(part.problems)
            except InputError as err:
                problems.extend(err.problems)
                continue
            if not isinstance(part.data, dict):
                problems.append(Problem(part.where(()), "an included file must be a YAML mapping"))
                continue
            _include(root, part, match, chain + [real], seen, problems)
            _merge(root, part, problems)


def _merge(root: YamlDocument, part: YamlDocument, problems: list) -> None:
    """Append the included file's lists to the root document, carrying positions along."""
    for key in sorted(part.data, key=str):
        if key not in INCLUDABLE:
            allowed = ", ".join(INCLUDABLE)
            problems.append(Problem(part.where((key,), key=True),
                                    f"an included file may only hold {allowed}, and include; not {key!r}"))
            continue
        items = part.data[key]
        if not isinstance(items, list):
            problems.append(Problem(part.where((key,)), f"{key} must be a list"))
            continue
        target = root.data.setdefault(key, [])
        if not isinstance(target, list):
            continue  # the schema reports the root's wrong type
        if key not in root.positions and (key,) not in root.positions:
            root.positions[(key,)] = part.where((key,))
        offset = len(target)
        target.extend(items)
        prefix = (key,)
        for table_name in ("positions", "key_positions"):
            source = getattr(part, table_name)
            dest = getattr(root, table_name)
            for p, pos in source.items():
                if p[:1] == prefix and len(p) > 1:
                    dest[(key, p[1] + offset) + p[2:]] = pos

