"""Small HTTP servers of the tests' own on 127.0.0.1: a recording forwarder to the real Prometheus, and
servers that misbehave (redirect, never answer, answer HTML)."""

from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.error
import urllib.request


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, headers by lower-case name)
        self.in_flight = 0
        self.most_in_flight = 0


def _handler(recorder: Recorder, respond):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with recorder.lock:
                recorder.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                recorder.in_flight += 1
                recorder.most_in_flight = max(recorder.most_in_flight, recorder.in_flight)
            try:
                status, headers, answer = respond(self, body)
            finally:
                with recorder.lock:
                    recorder.in_flight -= 1
            if status is None:
                return
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


class Loopback:
    """A threaded HTTP server on a free loopback port; ``respond(handler, body) -> (status, headers, body)``."""

    def __init__(self, respond):
        self.recorder = Recorder()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.recorder, respond))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def requests(self):
        return self.recorder.requests


def forwarder(target: str, delay: float = 0.0) -> Loopback:
    """Forwards every request to ``target`` (the real Prometheus), after ``delay`` seconds."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def respond(handler, body):
        time.sleep(delay)
        request = urllib.request.Request(target + handler.path, data=body if handler.command == "POST" else None,
                                         method=handler.command,
                                         headers={"Content-Type": handler.headers.get("Content-Type", "")})
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, {"Content-Type": "application/json"}, answer.read()
        except urllib.error.HTTPError as err:
            return err.code, {"Content-Type": "application/json"}, err.read()

    return Loopback(respond)


def answering(status: int, body: bytes = b"", headers: dict | None = None) -> Loopback:
    return Loopback(lambda handler, _body: (status, headers or {}, body))


def silent() -> Loopback:
    """Accepts and reads the request, then never answers (until the test ends)."""
    stop = threading.Event()

    def respond(handler, body):
        stop.wait(60)
        return None, {}, b""

    server = Loopback(respond)
    server.stop = stop
    return server


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def trickling(interval: float = 0.5) -> Loopback:
    """Answers 200 with a JSON body it sends one byte at a time, ``interval`` seconds apart, for a minute."""

    def respond(handler, body):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(int(60 / interval)):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass
        return None, {}, b""

    return Loopback(respond)
