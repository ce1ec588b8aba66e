"""The user's cache folder for work that outlives one run: analysed grammars and compiled templates.

``$XDG_CACHE_HOME/runbookgen/``, else ``~/.cache/runbookgen/``. Everything kept there is keyed by
what it was made from, so a stale entry is never used; deleting the folder is always safe.
"""

from __future__ import annotations

import os


def user_cache_dir(name: str) -> str | None:
    """The folder ``name`` in runbookgen's user cache, created if needed; None when it cannot be."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    folder = os.path.join(base, "runbookgen", name)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def template_bytecode_cache():
    """A Jinja bytecode cache in the user cache, or None.

    Jinja keys each entry by the template's name and file and checks it against the template's
    source, and writes entries whole (temporary file, then rename). A damaged entry (a crash or a
    full disk while another version wrote it) is compiled again instead of failing the build.
    """
    folder = user_cache_dir("templates")
    if folder is None:
        return None
    import jinja2

    class Tolerant(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - pickle and marshal raise many kinds on damaged data
                bucket.reset()

    return Tolerant(folder)
