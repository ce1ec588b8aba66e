"""How many processes a build uses by default: one per idle core, so that a busy machine is not made slower."""

from __future__ import annotations

import os

import pytest

from runbookgen import build, processes


@pytest.fixture(autouse=True)
def load_average_only(monkeypatch):
    """These tests give the one-minute load average; the count of running processes is not read."""
    monkeypatch.setattr(processes, "others_running", lambda: None)


@pytest.mark.parametrize("cores, load, jobs", [
    (2, 0.1, 2),    # both cores free: fork
    (2, 0.9, 1),    # one core mostly busy: forking would fight for it
    (2, 4.0, 1),    # a loaded machine: one process
    (8, 3.0, 5),
    (16, 0.0, build.MAX_JOBS),
    (1, 0.0, 1),
])
def test_default_jobs_counts_idle_cores(monkeypatch, cores, load, jobs):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert build.default_jobs() == jobs


def test_default_jobs_without_a_load_average(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)

    def unavailable():
        raise OSError("no load average")

    monkeypatch.setattr(os, "getloadavg", unavailable)
    assert build.default_jobs() == 2


def test_a_build_just_finished_does_not_keep_the_next_from_forking(monkeypatch, tmp_path):
    """The one-minute load still counts the last build for a minute; the runnable count says the cores are free."""
    monkeypatch.undo()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 1.2, 1.5))
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(processes, "LOADAVG", str(loadavg))
    monkeypatch.setattr(processes, "_LAST_READING", [])
    loadavg.write_text("1.00 1.20 1.50 1/231 4242\n")  # only this process runs
    assert build.default_jobs() == 2
    monkeypatch.setattr(processes, "_LAST_READING", [])
    loadavg.write_text("1.00 1.20 1.50 3/231 4242\n")  # two others want both cores
    assert build.default_jobs() == 1
