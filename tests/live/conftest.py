"""Fixtures of the live-check tests: one real Prometheus for the session, and projects to lint against it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import prometheus_server  # noqa: E402

_MISSING = prometheus_server.tools_missing()


@pytest.fixture(scope="session")
def prometheus(tmp_path_factory):
    if _MISSING:
        pytest.skip(_MISSING)
    server = prometheus_server.start(tmp_path_factory.mktemp("prometheus"))
    try:
        yield server
    finally:
        prometheus_server.stop(server.process)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path
