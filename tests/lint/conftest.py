"""Fixtures of the lint tests (helpers live in lint_helpers.py)."""

from __future__ import annotations

import pytest
from lint_helpers import Project


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)
