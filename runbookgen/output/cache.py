"""The build cache beside the site: ``.runbookgen-cache/<site folder name>/``.

It holds what the next build needs to do less:

- ``state.json``: the fingerprint of every input (``inputs.py``), the stamp of
  the site folder it describes, and the counts to report; a build whose inputs
  have the same fingerprint, with that site still in place, is skipped;
- ``pages.json``: the digest of every generated Markdown page and incident
  report, and of the site's structure (navigation, page list, front matter,
  configuration, engine); when only page bodies changed, only those pages are
  rendered again;
- ``records.json``: every page's search index entries and anchors
  (``PageRecord``), which an incremental build merges back;
- ``docs/``: the generated Markdown of the last build, the folder mkdocs reads.

Writing order keeps it honest: a build first forgets ``state.json`` and
``pages.json``, then changes ``docs/`` and the site, and writes them again only
once the new site is in place. A build stopped at any point leaves a cache that
promises nothing, and the next build is a full one. Anything unreadable is
treated as missing.
"""

from __future__ import annotations

import json
import os
import shutil

from runbookgen.engine.records import PageRecord

CACHE_DIR = ".runbookgen-cache"
FORMAT = 1  # bump when what the cache holds changes meaning


class BuildCache:
    def __init__(self, site_dir: str):
        site = os.path.abspath(site_dir)
        self.root = os.path.join(os.path.dirname(site), CACHE_DIR, os.path.basename(site))
        self.docs = os.path.join(self.root, "docs")

    def usable(self) -> bool:
        """Whether the cache folder is (or can be made) a folder this process can write to."""
        try:
            os.makedirs(self.docs, exist_ok=True)
        except OSError:
            return False
        return all(os.path.isdir(p) and not os.path.islink(p) and os.access(p, os.W_OK | os.X_OK)
                   for p in (self.root, self.docs))

    def _path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def _read(self, name: str) -> dict | None:
        try:
            with open(self._path(name), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def _write(self, name: str, data: dict) -> None:
        path = self._path(name)
        text = json.dumps({"format": FORMAT, **data}, separators=(",", ":"), default=str)  # C encoder; dump() is not
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(path + ".tmp", path)

    def state(self) -> dict | None:
        return self._read("state.json")

    def pages(self) -> dict | None:
        """Digests of the last build's pages, only while its state stands (they are written together)."""
        return self._read("pages.json") if self.state() is not None else None

    def records(self) -> dict[str, PageRecord] | None:
        data = self._read("records.json")
        try:
            return {path: PageRecord.from_json(item) for path, item in data["pages"].items()} if data else None
        except (KeyError, TypeError, AttributeError):
            return None

    def forget(self) -> None:
        """From here on the cache promises nothing, until ``save``."""
        for name in ("state.json", "pages.json"):
            try:
                os.remove(self._path(name))
            except FileNotFoundError:
                pass
        os.makedirs(self.docs, exist_ok=True)
        shutil.rmtree(os.path.join(self.root, "spare"), ignore_errors=True)  # a spare site earlier versions kept

    def save(self, *, state: dict, pages: dict, records: dict[str, PageRecord] | None) -> None:
        if records is not None:
            self._write("records.json", {"pages": {path: r.to_json() for path, r in records.items()}})
        else:
            try:
                os.remove(self._path("records.json"))
            except FileNotFoundError:
                pass
        self._write("pages.json", pages)
        self._write("state.json", state)

    def save_state(self, state: dict) -> None:
        self._write("state.json", state)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def site_stamp(site_dir: str) -> list | None:
    """Identity of a built site: each folder's inode and modification time (they change when files come or
    go), and each file's inode, size and modification time (they change when a file is edited or damaged
    in place). A site that no longer has the stamp it was built with is rebuilt, never reused."""
    if not os.path.isdir(site_dir) or os.path.islink(site_dir):
        return None
    stamp = []
    for root, dirs, files in os.walk(site_dir):
        dirs.sort()
        info = os.stat(root)
        folder = os.path.relpath(root, site_dir).replace(os.sep, "/")
        stamp.append([folder, info.st_ino, info.st_mtime_ns])
        for name in sorted(files):
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            stamp.append([f"{folder}/{name}", info.st_ino, info.st_size, info.st_mtime_ns])
    return stamp
