"""A YAML file's text: regular files only, within the size limit, UTF-8 (a BOM is dropped).

Every way reading can fail is a ``Problem`` at the file's first line (or at the bad byte).
"""

from __future__ import annotations

import os
import stat

from runbookgen.digests import text_digest
from runbookgen.problems import InputError, Position, Problem, line_col
from runbookgen.yamlread.limits import MAX_FILE_BYTES


def read_text(path: str, *, display: str | None = None) -> str:
    """Read a UTF-8 text file, turning every way this can fail into a Problem."""
    shown = display or path
    where = Position(shown, 1, 1)
    try:
        raw = _read_regular_file(path, where)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError([Problem(where, f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")])
    except FileNotFoundError:
        raise InputError([Problem(where, "file not found")]) from None
    except PermissionError:
        raise InputError([Problem(where, "cannot read file: permission denied")]) from None
    except OSError as err:
        raise InputError([Problem(where, f"cannot read file: {err.strerror or err}")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # what some Windows editors save; NUL bytes follow
        raise InputError([Problem(where, "file is encoded as UTF-16 (byte order mark); save it as UTF-8")])
    if b"\x00" in raw:
        line, col = line_col(raw, raw.index(b"\x00"))
        raise InputError([Problem(Position(shown, line, col), "binary data (NUL byte): not a YAML text file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = line_col(raw, err.start)
        raise InputError([Problem(Position(shown, line, col), f"not valid UTF-8 (byte 0x{raw[err.start]:02x})")]) from None
    return text.removeprefix("\ufeff")


def source_digest(path: str) -> str | None:
    """The digest a document read from ``path`` now would have; None when it cannot be read."""
    try:
        return text_digest(read_text(path))
    except InputError:
        return None


def _read_regular_file(path: str, where: Position) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them.

    Opened without blocking and checked after opening (no gap between a check and the open): a FIFO
    would wait for a writer forever, and a device (/dev/zero, /dev/tty) has no end or waits for input.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError([Problem(where, "is a directory, not a YAML file")])
        if not stat.S_ISREG(info.st_mode):
            kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else (
                "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
            raise InputError([Problem(where, f"is {kind}, not a regular file; runbookgen reads only regular files")])
        if info.st_size > MAX_FILE_BYTES:
            raise InputError([Problem(where, f"file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")])
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:  # bounded: a file growing while it is read reports no true size
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
