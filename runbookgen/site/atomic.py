"""Replace a directory in one step, so readers see either the old site or the new one.

On Linux ``renameat2(RENAME_EXCHANGE)`` swaps the two directories atomically:
a build killed at any moment leaves the previous site whole. Elsewhere two
renames are used, with a window of a few microseconds in which the site is
missing but never half-written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: str, b: str) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def staging_dir(target: str) -> str:
    """A fresh directory beside ``target`` (same file system, so the final rename cannot copy)."""
    parent = os.path.dirname(os.path.abspath(target)) or "."
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.new-", dir=parent)


def replace_dir(new: str, target: str, *, keep_old: str | None = None) -> None:
    """Put ``new`` at ``target``. The old ``target`` (if any) is removed afterwards, or moved to ``keep_old``
    (on the same file system) for a later build to start from."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if _exchange(new, target):
        _dispose(new, keep_old)  # ``new`` now holds the previous site
        return
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(os.path.abspath(target)))
    os.rmdir(old)
    os.rename(target, old)
    os.rename(new, target)
    _dispose(old, keep_old)


def _dispose(old: str, keep: str | None) -> None:
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        try:
            os.rename(old, keep)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)
