"""A checked inventory kept between runs in the user's cache folder, keyed by the bytes it was made from.

Loading a large inventory (YAML with positions, the schema, the model, the cross-checks) costs more
than everything else lint does, and the inventory rarely changes between two runs. After a clean load,
lint keeps the ``Inventory`` (and the rule patterns its ``lint:`` block names) in
``inventories/<key>.pickle``; ``<key>`` names the inventory's path as given, the working folder (the
positions show paths relative to it) and a digest of the loader's own sources, so each inventory
has one entry, replaced when it changes. The entry is used only when every file it was made from
still has the digest it had (the inventory and each included file) and every ``include:`` glob
still matches the same files; otherwise the inventory is loaded again. An inventory with problems
is never kept: its problems are always found afresh.

An entry is a pickle, that is code, so it is read only through ``usercache.read_private_verified``:
a regular file of this user that nobody else may write, in a private folder, whose SHA-256 holds.
Writing it happens in a forked child beside the checks where a second core is idle (by the load
average, as builds decide: ``processes.spare_core``), else in this process; ``finish`` waits for the
child. Positions are kept compactly and decoded only when looked up (``inventory.positions``).
"""

from __future__ import annotations

import os
import pickle

from runbookgen.inventory.load import include_matches
from runbookgen.pathglob import TooManyEntries
from runbookgen.processes import forking_allowed, spare_core
from runbookgen.usercache import key, read_private_verified, sources_digest, user_cache_dir, write_verified
from runbookgen.yamlread.document import YamlDocument
from runbookgen.yamlread.files import source_digest

_LOADER_SOURCES = (("runbookgen.inventory", ("__init__.py", "load.py", "validate.py", "model.py", "semantic.py",
                                             "partial.py", "prose_links.py", "schema.json", "kept.py",
                                             "positions.py")),
                   ("runbookgen", ("addresses.py", "problems.py", "pathglob.py")),
                   ("runbookgen.yamlread", ("aliases.py", "build.py", "document.py", "events.py", "files.py",
                                            "limits.py", "scalars.py", "string_values.py", "typed_values.py",
                                            "values.py")))
_FORMAT = 2  # 2: positions as one compact table (inventory.positions)


def entry_path(path: str) -> str | None:
    """Where the inventory at ``path`` is kept; None when there is no usable cache folder."""
    folder = user_cache_dir("inventories")
    if folder is None:
        return None
    return os.path.join(folder, key(_FORMAT, path, os.path.abspath(path), os.getcwd(),
                                    sources_digest(_LOADER_SOURCES)) + ".pickle")


def kept_inventory(path: str):
    """``(inventory, rule patterns)`` as kept for ``path``, when every file it came from is unchanged; else None."""
    entry = entry_path(path)
    payload = read_private_verified(entry) if entry is not None else None
    if payload is None:
        return None
    try:
        sources, globs, patterns, inventory = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - an entry of an older layout: load the inventory again
        return None
    if os.path.abspath(path) not in sources or not _unchanged(sources, globs):
        return None
    return inventory, patterns


def _unchanged(sources: dict, globs) -> bool:
    for source, digest in sources.items():
        if source_digest(source) != digest:
            return False
    for base, pattern, matches in globs:
        try:
            if tuple(os.path.abspath(m) for m in include_matches(base, pattern)) != tuple(matches):
                return False
        except (TooManyEntries, OSError):
            return False
    return True


def keep_inventory(path: str, doc: YamlDocument, inventory, patterns) -> int | None:
    """Keep a cleanly loaded inventory for the next run; the id of the child process writing it, if any."""
    entry = entry_path(path)
    if entry is None or doc.problems:
        return None
    record = (dict(doc.sources), list(doc.globs), tuple(patterns), inventory)
    if forking_allowed() and spare_core():
        child = os.fork()
        if child:
            return child
        try:  # the child: write, and leave without running the parent's exit handlers
            write_verified(entry, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    try:
        write_verified(entry, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - a model that cannot be pickled only costs the next run time
        pass
    return None


def finish(child: int | None) -> None:
    """Wait for the child that ``keep_inventory`` started."""
    if child:
        try:
            os.waitpid(child, 0)
        except ChildProcessError:
            pass
