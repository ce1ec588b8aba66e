"""Long builds show progress on a terminal, and nothing anywhere else."""

from __future__ import annotations

import io

import pytest

from runbookgen.cli.progress import ProgressBar, terminal_progress
from sites import EPOCH, run, service


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_build_reports_its_progress_up_to_the_end(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = service(tmp_path / "svc", 30)
    seen = []
    result = run(folder, jobs=1, progress=lambda done, total: seen.append((done, total)))
    totals = {total for _, total in seen}
    assert totals == {2 * result.pages}  # every page counts once rendered from Markdown and once written
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (2 * result.pages, 2 * result.pages)


def test_workers_progress_is_counted_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = service(tmp_path / "svc", 60)
    seen = []
    result = run(folder, jobs=2, cache=False, progress=lambda done, total: seen.append((done, total)))
    assert seen and max(done for done, _ in seen) == 2 * result.pages


def test_the_bar_draws_on_one_line_and_clears_it():
    screen = Terminal()
    bar = ProgressBar(screen, interval=0)
    bar(5, 10)
    bar(10, 10)
    assert screen.getvalue().startswith("\rbuilding site [###############---------------]  50%  5/10")
    assert "100%  10/10" in screen.getvalue()
    bar.close()
    assert screen.getvalue().endswith("\r")


@pytest.mark.parametrize("stream, ci, wanted", [(Terminal(), None, True), (Terminal(), "true", False),
                                                (io.StringIO(), None, False)])
def test_a_bar_only_on_a_terminal_outside_ci(monkeypatch, stream, ci, wanted):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    if ci:
        monkeypatch.setenv("CI", ci)
    assert (terminal_progress(stream) is not None) == wanted
