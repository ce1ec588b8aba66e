"""Live preview: serve the built site on localhost and rebuild when the inventory or templates change."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable

from runbookgen.problems import InputError, Position, Problem


def watched_files(inventory_path: str, config_path: str | None) -> dict[str, float]:
    """Modification times of everything a build reads: the inventory's folder (YAML, templates) and mkdocs.yml."""
    base = os.path.dirname(os.path.abspath(inventory_path))
    found: dict[str, float] = {}
    roots = [base] + ([os.path.dirname(os.path.abspath(config_path))] if config_path else [])
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("site", "node_modules", "__pycache__")]
            for name in files:
                if name.endswith((".yaml", ".yml", ".j2")):
                    path = os.path.join(folder, name)
                    try:
                        found[path] = os.stat(path).st_mtime
                    except OSError:
                        continue
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        pass


def serve_forever(site_dir: str, host: str, port: int, rebuild: Callable[[], None], snapshot: Callable[[], dict],
                  *, interval: float = 0.5, stop: threading.Event | None = None) -> None:
    """Serve ``site_dir``; call ``rebuild`` whenever ``snapshot()`` changes. Returns when ``stop`` is set."""
    handler = functools.partial(_QuietHandler, directory=os.path.abspath(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except (OSError, OverflowError) as err:  # port in use, no such host, not an address here
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError([Problem(Position("--dev-addr"), f"cannot serve on {host}:{port}: {reason}")]) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    last = snapshot()
    try:
        while not stop.wait(interval):
            current = snapshot()
            if current != last:
                last = current
                rebuild()
    finally:
        server.shutdown()
        server.server_close()
