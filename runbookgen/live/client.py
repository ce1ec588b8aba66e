"""HTTP to one server the user named, and to nothing else.

The standard library's default opener would follow redirects to any host, go through
the proxies named in ``http_proxy``/``https_proxy`` and open ``file:`` URLs; this
client does none of that. Every request has a deadline for the whole exchange (not only
per socket read, so a server that trickles bytes cannot hold the lint up) and a cap on
the size of the answer it reads.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

MAX_ANSWER_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class ServerUnreachable(Exception):
    """The server could not be asked at all (refused, timed out, not HTTP, redirected elsewhere)."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status: reported, never followed


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler({}), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(context=ssl.create_default_context()), _NoRedirect(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class HttpClient:
    """GET and form POST requests below one base URL, with fixed headers, a deadline and a size cap."""

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float):
        self.base_url = base_url.rstrip("/")
        self.shown_url = base_url
        self.headers = dict(headers)
        self.timeout = timeout
        self._opener = _opener()

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, bytes, bool]:
        """(status, body, truncated) of a form POST to ``base_url + path``; raises ServerUnreachable."""
        data = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method="POST",
                                         headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/json", "User-Agent": "runbookgen"})
        return self._send(request)

    def get(self, path_and_query: str) -> tuple[int, bytes, bool]:
        """(status, body, truncated) of a GET of ``base_url + path_and_query``; raises ServerUnreachable."""
        request = urllib.request.Request(self.base_url + path_and_query, method="GET",
                                         headers={**self.headers, "Accept": "application/json",
                                                  "User-Agent": "runbookgen"})
        return self._send(request)

    def _send(self, request) -> tuple[int, bytes, bool]:
        deadline = time.monotonic() + self.timeout
        try:
            try:
                response = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as err:
                response = err  # 4xx/5xx: the body says why (Prometheus answers errors as JSON)
                if 300 <= err.code < 400:
                    raise ServerUnreachable(self.shown_url, f"answered with a redirect ({err.code}) to "
                                                            f"{err.headers.get('Location', '?')!r}, which is not "
                                                            "followed; give the final URL") from None
            with response:
                body, truncated = _read(response, deadline)
                return response.status if hasattr(response, "status") else response.code, body, truncated
        except ServerUnreachable:
            raise
        except urllib.error.URLError as err:
            raise ServerUnreachable(self.shown_url, _reason(err.reason)) from None
        except (OSError, http.client.HTTPException, ValueError) as err:
            raise ServerUnreachable(self.shown_url, _reason(err)) from None


def _read(response, deadline: float) -> tuple[bytes, bool]:
    parts, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer did not arrive in time")
        chunk = response.read1(_CHUNK)  # returns what one receive brought, so the deadline is checked often
        if not chunk:
            return b"".join(parts), False
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            return b"".join(parts)[:MAX_ANSWER_BYTES], True


def _reason(err) -> str:
    if isinstance(err, (TimeoutError, socket.timeout)):
        return "no answer in time (timed out)"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, socket.gaierror):
        return f"host not found ({err.strerror or err})"
    if isinstance(err, ssl.SSLError):
        return f"TLS failed ({err.reason or err})"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__


def json_answer(body: bytes) -> dict | None:
    """The JSON object of an API answer, or None when it is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None
