"""Live preview: serve the built site on localhost, rebuild when the inventory or templates change, and reload
the pages open in a browser once the rebuilt site is in place.

Every HTML page served gets one more script, ``/.runbookgen-preview/reload.js`` (a file of the site's own
origin, so the pages' Content-Security-Policy allows it; the built site itself is not changed). The script
asks ``/.runbookgen-preview/wait?after=N``, which answers as soon as build N+1 is in place (or after a while,
to be asked again), and then reloads the page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
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


PREFIX = "/.runbookgen-preview/"
WAIT_SECONDS = 25.0
RELOAD_SCRIPT = b"""(function () {
  "use strict";
  var generation = document.currentScript.dataset.generation;
  function wait() {
    fetch("%swait?after=" + generation, { cache: "no-store" }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (now) {
      if (now !== generation) window.location.reload(); else wait();
    }, function () { setTimeout(wait, 1000); });
  }
  wait();
})();
""" % PREFIX.encode()


class Generations:
    """The number of the site build in place; ``wait`` returns when a later one is."""

    def __init__(self):
        self.current = 0
        self._changed = threading.Condition()

    def advance(self) -> None:
        with self._changed:
            self.current += 1
            self._changed.notify_all()

    def wait(self, after: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.current != after, timeout=timeout)
            return self.current


class _PreviewHandler(http.server.SimpleHTTPRequestHandler):
    generations: Generations

    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        pass

    def do_GET(self):  # noqa: N802 - the name is the base class's
        path, _, query = self.path.partition("?")
        if path == PREFIX + "reload.js":
            return self._send(RELOAD_SCRIPT, "text/javascript; charset=utf-8")
        if path == PREFIX + "wait":
            after = next((int(v) for k, _, v in (p.partition("=") for p in query.split("&"))
                          if k == "after" and v.isdigit()), -1)
            return self._send(str(self.generations.wait(after, WAIT_SECONDS)).encode(), "text/plain")
        local = self.translate_path(path)
        if path.endswith("/"):
            local = os.path.join(local, "index.html")
        if local.endswith(".html") and os.path.isfile(local):
            try:
                with open(local, "rb") as handle:
                    page = handle.read()
            except OSError:
                return super().do_GET()
            return self._send(with_reload_script(page, self.generations.current), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the page went away (it reloaded) while it waited
            pass


def with_reload_script(page: bytes, generation: int) -> bytes:
    """The page with the preview's reload script before ``</body>`` (at the end when it has none)."""
    tag = f'<script src="{PREFIX}reload.js" data-generation="{generation}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def serve_forever(site_dir: str, host: str, port: int, rebuild: Callable[[], bool], snapshot: Callable[[], dict],
                  *, interval: float = 0.1, stop: threading.Event | None = None) -> None:
    """Serve ``site_dir``; call ``rebuild`` whenever ``snapshot()`` changes, and reload the open pages when it
    returns true (a new site is in place). Returns when ``stop`` is set."""
    generations = Generations()
    handler = functools.partial(type("Handler", (_PreviewHandler,), {"generations": generations}),
                                directory=os.path.abspath(site_dir))
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
                if rebuild():
                    generations.advance()
    finally:
        server.shutdown()
        server.server_close()


class _OutOfTime(Exception):
    pass


def remove_preview(folder: str, seconds: float = 1.0) -> None:
    """Remove the preview's folder (its site and build cache) without keeping serve from ending.

    A site of 10,000 alerts is some 60,000 files, whose removal took a minute and more on a busy machine:
    serve then ignored its stop for that long. The folder is first renamed (one step: nothing is left
    half-removed under its name), then removed here for at most ``seconds``; what is left then is removed
    by a process of its own, in a session of its own, which outlives serve.
    """
    trash = folder + ".removing"
    try:
        os.rename(folder, trash)
    except OSError:
        trash = folder
    deadline = time.monotonic() + seconds
    try:
        _remove_until(trash, deadline)
    except _OutOfTime:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          trash], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, close_fds=True)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def _remove_until(folder: str, deadline: float) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _remove_until(entry.path, deadline)
            else:
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass
            if time.monotonic() > deadline:
                raise _OutOfTime
    os.rmdir(folder)
