"""Write a file in one step, so that a reader (or a crash) never sees half of it."""

from __future__ import annotations

import os
import tempfile

from runbookgen.problems import InputError, Position, Problem


def write_file(path: str, text: str, *, shown: str | None = None, check=None) -> None:
    """Replace ``path`` with ``text`` (UTF-8, newlines as given), keeping the old file's permissions.

    ``check(temp_path)``, when given, runs on the new file before it replaces the old one; an
    exception it raises leaves the old file as it was.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else None
        handle, temp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            if mode is not None:
                os.chmod(temp, mode)
            else:
                os.chmod(temp, 0o666 & ~_umask())
            if check is not None:
                check(temp)
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
    except OSError as err:
        raise InputError([Problem(Position(shown or path, 1, 1), f"cannot write: {err.strerror or err}")]) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
