"""Replace a directory in one step, so readers see either the old site or the new one.

On Linux ``renameat2(RENAME_EXCHANGE)`` swaps the two directories atomically:
a build killed at any moment leaves the previous site whole. Elsewhere two
renames are used, with a window of a few microseconds in which the site is
missing but never half-written.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
import threading
import time

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


SITE_MARKER = ".runbookgen-site"
MARKER_TEXT = ("This folder is a site built by runbookgen. `runbookgen build` replaces it whole;\n"
               "anything you put here is lost at the next build.\n")


def staging_dir(target: str) -> str:
    """A fresh directory beside ``target`` (same file system, so the final rename cannot copy).

    It gets the mode a folder made by ``mkdir`` gets (mkdtemp's is 0700, which a web server running as
    another user cannot read), and the marker that tells a later build this folder is runbookgen's.
    """
    parent = os.path.dirname(os.path.abspath(target)) or "."
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.new-", dir=parent)
    os.chmod(staging, 0o777 & ~current_umask())
    with open(os.path.join(staging, SITE_MARKER), "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT)
    return staging


def current_umask() -> int:
    """The process's umask (read from /proc where it can be, so no other thread sees it change)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_built_site(folder: str) -> bool:
    """True when ``folder`` holds runbookgen's marker (as a regular file, not a link someone put there)."""
    marker = os.path.join(folder, SITE_MARKER)
    return os.path.isfile(marker) and not os.path.islink(marker)


@contextlib.contextmanager
def exclusive(folder: str, *, wait: float = 600.0):
    """Hold an exclusive lock on ``folder`` (flock on the folder itself; no lock file is left behind).

    Two builds of one site run one after the other; a build that waited ``wait`` seconds gives up
    with TimeoutError. Where locks are not supported, nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux or macOS
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(folder) from None
                time.sleep(0.05)
            except OSError:  # the file system has no locks: go on unlocked
                break
        yield
    finally:
        os.close(fd)


def replace_dir(new: str, target: str, *, remove=None) -> None:
    """Put ``new`` at ``target``; the old ``target`` (if any) is removed afterwards, by ``remove(path)`` when
    given (``remove_in_background``), else before this returns."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if _exchange(new, target):
        (remove or _remove_now)(new)  # ``new`` now holds the previous site
        return
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(os.path.abspath(target)))
    os.rmdir(old)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_now(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def remove_in_background(path: str) -> None:
    """Remove a folder nothing refers to any more (a replaced site) in a thread of its own: a process that
    goes on serving (``serve``) need not wait for it. At 10,000 alerts a site is some 30,000 files."""
    threading.Thread(target=_remove_now, args=(path,), name="remove-replaced-site", daemon=True).start()


def link_missing(source: str, target: str) -> None:
    """Give ``target`` every file and folder of ``source`` that it lacks: files as hard links (copies where
    the file system has none), symbolic links as such.

    Safe only because nothing writes into ``target`` once it is complete: an incremental build writes its
    new files into an empty staging folder first, then links the unchanged ones from the current site, and
    swaps the folder in as it is. No file is ever written in place, so the current site stays as it was.
    """
    with os.scandir(source) as entries:
        for entry in entries:
            there = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if not os.path.lexists(there):
                    os.mkdir(there)
                if os.path.isdir(there) and not os.path.islink(there):
                    link_missing(entry.path, there)
            elif not os.path.lexists(there):
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), there)
                    continue
                try:
                    os.link(entry.path, there)
                except OSError:  # no hard links here (or across devices): copy
                    shutil.copy2(entry.path, there)
