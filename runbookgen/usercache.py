"""The user's cache folder for work that outlives one run: analysed grammars and compiled templates.

``$XDG_CACHE_HOME/runbookgen/``, else ``~/.cache/runbookgen/``. Every entry is keyed by all it was
made from (source, options, library and runbookgen versions), so a stale entry is never used, and is
written whole (temporary file, then rename). A damaged entry is made again; a cache that cannot be
read or written only makes the run slower, never fails it. Deleting the folder is always safe.

Entries are code (pickled parse tables, compiled templates), so the folder is used only when it is
the user's own and nobody else can write to it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import stat
import sys
import tempfile


def user_cache_dir(name: str) -> str | None:
    """The folder ``name`` in runbookgen's user cache, created if needed; None when it cannot be used."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG spec says to use the default
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None
    root = os.path.join(base, "runbookgen")
    folder = os.path.join(root, name)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not all(_private(path) for path in (root, folder)):
            return None
    except OSError:
        return None
    return folder


def _private(path: str) -> bool:
    """Owned by this user, and neither group nor others may write to it."""
    info = os.lstat(path)
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def write_whole(path: str, write) -> None:
    """``write(handle)`` into a temporary file beside ``path``, then put it in place; errors are ignored."""
    folder, name = os.path.split(path)
    try:
        fd, scratch = tempfile.mkstemp(dir=folder, prefix=name + ".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(scratch, path)
    except Exception:  # noqa: BLE001 - a full disk or a vanished folder only costs the next run time
        with contextlib.suppress(OSError):
            os.remove(scratch)


_VERIFIED = b"runbookgen-entry-1\n"


def write_verified(path: str, payload: bytes) -> None:
    """Write ``payload`` whole, preceded by its SHA-256, so ``read_verified`` can tell a damaged entry."""
    digest = hashlib.sha256(payload).digest()
    write_whole(path, lambda handle: handle.write(_VERIFIED + digest + payload))


def read_verified(path: str) -> bytes | None:
    """The payload ``write_verified`` wrote, or None when the entry is missing, unreadable or damaged."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head = len(_VERIFIED) + 32
    if len(data) < head or not data.startswith(_VERIFIED):
        return None
    payload = data[head:]
    return payload if hashlib.sha256(payload).digest() == data[len(_VERIFIED):head] else None


def read_private_verified(path: str) -> bytes | None:
    """``read_verified``, for an entry that is a regular file of this user that nobody else may write
    (not a link to one): an entry someone else could have written is never used."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return read_verified(path)


def key(*parts) -> str:
    """A short digest of everything an entry was made from, with the runbookgen and Python versions."""
    from runbookgen import __version__

    text = "\0".join(map(str, (*parts, __version__, sys.version_info[:3], sys.implementation.cache_tag)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def sources_digest(sources: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """SHA-256 of the named files of each package, in order: an entry made by other code is never read.

    Computed once per process, however many entries are keyed by it."""
    from importlib import resources

    digest = hashlib.sha256()
    for package, names in sources:
        files = resources.files(package)
        for name in names:
            digest.update(files.joinpath(name).read_bytes())
    return digest.hexdigest()


def keep_compiled_templates(env) -> None:
    """Give the Jinja environment ``env`` a bytecode cache in the user cache folder, when there is one.

    Jinja checks an entry against the template's source only; what else shapes the compiled code (the
    Jinja version, the environment's syntax and whitespace options, autoescape, extensions, finalize,
    the undefined type) names the folder, so environments configured differently never share entries.
    """
    import jinja2

    def named(value) -> str:
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}" \
            if callable(value) else repr(value)

    options = (jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
               env.variable_end_string, env.comment_start_string, env.comment_end_string,
               env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
               env.newline_sequence, env.keep_trailing_newline, named(env.autoescape), named(env.finalize),
               named(env.undefined), env.optimized, env.is_async, sorted(env.extensions))
    folder = user_cache_dir(f"templates-{key(*options)}")
    if folder is not None:
        env.bytecode_cache = _tolerant_cache_class()(folder)


@functools.cache
def _tolerant_cache_class():
    import jinja2

    class TolerantCache(jinja2.FileSystemBytecodeCache):
        """Jinja's file cache, but every entry carries its digest and is checked before it is unmarshalled
        (damaged code objects can crash the interpreter, not just raise); a damaged entry is compiled again
        and a failed write is skipped."""

        def load_bytecode(self, bucket) -> None:
            payload = read_verified(self._get_cache_filename(bucket))
            if payload is None:
                return
            try:
                bucket.load_bytecode(io.BytesIO(payload))
            except Exception:  # noqa: BLE001 - marshal raises many kinds on data it cannot read
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            scratch = io.BytesIO()
            bucket.write_bytecode(scratch)
            write_verified(self._get_cache_filename(bucket), scratch.getvalue())

    return TolerantCache
