"""Read a file that will be edited, and write it back so that a reader (or a crash) never sees half of it.

An edited file keeps what the user had: a symbolic link stays a link (its
target is written), the mode and owner stay, a byte order mark stays, and hard
links stay linked. The new text goes to a temporary file in the same folder,
is flushed to disk, and replaces the old one with one rename (a file with
several hard links is rewritten in place instead, after the same checks, since
a rename would split it from its other names).
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass

from runbookgen.problems import InputError, Position, Problem
from runbookgen.yamlread.files import read_text

BOM = "\ufeff"


@dataclass(frozen=True)
class Source:
    """A text file as read for editing: its text without the byte order mark, and whether it had one."""

    text: str
    bom: bool


def read_source(path: str, *, shown: str | None = None) -> Source:
    """Read a UTF-8 file to edit; InputError for anything that is not a readable regular file."""
    shown = shown or path
    try:
        if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError([Problem(Position(shown, 1, 1), "not a regular file; refusing to read or edit it")])
    except OSError as err:
        raise InputError([Problem(Position(shown, 1, 1), f"cannot read file: {err.strerror or err}")]) from None
    text = read_text(path, display=shown)
    try:
        with open(path, "rb") as handle:
            bom = handle.read(3) == BOM.encode("utf-8")
    except OSError as err:
        raise InputError([Problem(Position(shown, 1, 1), f"cannot read file: {err.strerror or err}")]) from None
    return Source(text, bom)


def write_file(path: str, text: str, *, shown: str | None = None, check=None, bom: bool = False) -> None:
    """Replace the file at ``path`` (the target, when it is a symbolic link) with ``text`` in UTF-8.

    ``check(temp_path)``, when given, runs on the new file before it replaces the old one; an
    exception it raises leaves the old file as it was.
    """
    shown = shown or path
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    data = (BOM + text if bom else text).encode("utf-8")
    try:
        old = os.stat(real) if os.path.lexists(real) else None
        if old is not None and not stat.S_ISREG(old.st_mode):
            raise InputError([Problem(Position(shown, 1, 1), "not a regular file; refusing to replace it")])
        os.makedirs(folder, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            _copy_metadata(temp, old, shown)
            if check is not None:
                check(temp)
            if old is not None and old.st_nlink > 1:
                _rewrite_in_place(real, data)
                os.unlink(temp)
            else:
                os.replace(temp, real)
            _sync_folder(folder)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
    except OSError as err:
        raise InputError([Problem(Position(shown, 1, 1), f"cannot write: {err.strerror or err}")]) from None


def _copy_metadata(temp: str, old, shown: str) -> None:
    if old is None:
        os.chmod(temp, 0o666 & ~_umask())
        return
    os.chmod(temp, stat.S_IMODE(old.st_mode))
    mine = os.stat(temp)
    if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.chown(temp, old.st_uid, old.st_gid)
        except PermissionError:
            raise InputError([Problem(Position(shown, 1, 1), f"cannot keep the file's owner ({old.st_uid}:"
                                                             f"{old.st_gid}) in a rewrite; run as that user")]) from None
        os.chmod(temp, stat.S_IMODE(old.st_mode))  # chown may clear set-id bits


def _rewrite_in_place(path: str, data: bytes) -> None:
    with open(path, "r+b") as out:
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
