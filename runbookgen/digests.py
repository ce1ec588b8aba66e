"""SHA-256 digests of files and text: how every cache and fingerprint in runbookgen names content."""

from __future__ import annotations

import hashlib


def file_digest(path: str) -> str:
    """SHA-256 of a file's bytes (hex)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def text_digest(text: str) -> str:
    """SHA-256 of text as UTF-8 (hex); lone surrogates are kept, not refused."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
