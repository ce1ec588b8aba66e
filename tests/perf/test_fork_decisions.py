"""Lint forks (the kept-inventory writer, the rule-reader worker) only onto a core nobody else uses, decided
as builds decide: the available cores less the one-minute load average."""

from __future__ import annotations

import os

import pytest

from runbookgen import processes
from runbookgen.inventory import kept
from runbookgen.rules import background


@pytest.mark.parametrize("cores, load, idle, spare", [
    (2, 0.0, 2, True), (2, 0.4, 2, True), (2, 0.6, 1, False), (2, 1.0, 1, False), (2, 7.5, 0, False),
    (1, 0.0, 1, False), (4, 1.2, 3, True), (4, 2.6, 1, False), (8, 0.0, 8, True),
])
def test_idle_cores_are_the_cores_less_the_load(cores, load, idle, spare):
    assert processes.idle_cores(cores, load) == idle
    assert processes.spare_core(cores, load) is spare


def test_the_machine_is_asked_when_nothing_is_given(monkeypatch):
    monkeypatch.setattr(processes, "others_running", lambda: None)  # the load average, where no count is read
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 5.0, 5.0))
    assert processes.idle_cores() == 2 and processes.spare_core()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 0.0, 0.0))
    assert processes.idle_cores() == 1 and not processes.spare_core()

    def no_load():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", no_load)
    assert processes.idle_cores() == 3  # unknown load: the cores count as free


@pytest.mark.parametrize("text, others", [
    ("0.95 1.40 2.10 1/300 999\n", 0.0),   # only this process runs, whatever the averages say
    ("0.10 0.10 0.10 4/300 999\n", 3.0),   # three others started a moment ago
    ("garbage\n", None), ("", None),
])
def test_the_processes_running_now_are_read_from_the_kernel(monkeypatch, tmp_path, text, others):
    loadavg = tmp_path / "loadavg"
    loadavg.write_text(text)
    monkeypatch.setattr(processes, "LOADAVG", str(loadavg))
    monkeypatch.setattr(processes, "_LAST_READING", [])
    assert processes.others_running() == others


def test_the_count_decides_before_the_lagging_average(monkeypatch, tmp_path):
    loadavg = tmp_path / "loadavg"
    loadavg.write_text("1.00 1.00 1.00 1/300 999\n")
    monkeypatch.setattr(processes, "LOADAVG", str(loadavg))
    monkeypatch.setattr(processes, "_LAST_READING", [])
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 1.0, 1.0))
    assert processes.spare_core(2)
    monkeypatch.setattr(processes, "LOADAVG", str(tmp_path / "missing"))
    monkeypatch.setattr(processes, "_LAST_READING", [])
    assert not processes.spare_core(2)  # no count: the average decides


def _rule_files(folder, count=3):
    for n in range(count):
        (folder / f"r{n}.yaml").write_text("groups:\n  - name: g\n    rules:\n"
                                           f"      - alert: A{n}\n        expr: up == {n}\n")


@pytest.mark.parametrize("spare", [True, False])
def test_the_rule_reader_forks_a_worker_only_onto_a_spare_core(tmp_path, monkeypatch, spare):
    monkeypatch.setattr(background, "spare_core", lambda: spare)
    _rule_files(tmp_path)
    reader = background.RuleReader([str(tmp_path)], str(tmp_path), min_bytes=0)
    try:
        assert (reader.worker is not None) is (spare and background.forking_allowed())
        ruleset = reader.result()
    finally:
        reader.cancel()
    assert sorted(r.name for r in ruleset.rules) == ["A0", "A1", "A2"]


@pytest.mark.parametrize("spare", [True, False])
def test_the_kept_inventory_is_written_by_a_child_only_on_a_spare_core(tmp_path, monkeypatch, spare):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(kept, "spare_core", lambda: spare)
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: S, escalation: [{name: On-call}]}\n"
                                            "alerts:\n  - {name: A, severity: warning, summary: s}\n")
    from runbookgen.inventory import check_inventory, read_inventory

    doc = read_inventory("runbooks.yaml")
    inventory = check_inventory(doc, "runbooks.yaml", duplicate_alerts_as_data=True)
    child = kept.keep_inventory("runbooks.yaml", doc, inventory, ())
    assert (child is not None) is (spare and processes.forking_allowed())
    kept.finish(child)
    again, patterns = kept.kept_inventory("runbooks.yaml")
    assert again == inventory and again.alerts[0].where("summary") == inventory.alerts[0].where("summary")
