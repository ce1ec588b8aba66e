"""Stopping ``runbookgen serve`` in the middle of a rebuild: it ends within about two seconds, by the signal, and
leaves nothing behind (the preview's folder is removed, by a process of its own when that takes longer)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from runbookgen.cli.preview import remove_preview
from support import fetch, free_port, wait_for

REPO = Path(__file__).resolve().parents[1]


def synthetic_service(folder: Path, alerts: int) -> None:
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.write(alerts, str(folder))


def test_a_stop_during_a_rebuild_ends_serve_promptly_and_leaves_nothing(tmp_path):
    folder, scratch = tmp_path / "svc", tmp_path / "tmp"
    synthetic_service(folder, 150)
    scratch.mkdir()
    inventory = folder / "runbooks.yaml"
    before = sorted(p.name for p in folder.iterdir())
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "runbookgen", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: fetch(f"http://127.0.0.1:{port}/"), seconds=300)
        inventory.write_text(inventory.read_text().replace("summary: ", "summary: now ", 40))  # 40 alerts' pages
        time.sleep(0.3)  # the save is seen within 0.1 s: the rebuild has started
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - started
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGTERM and "Traceback" not in err, err
    assert took < 3.0, f"serve took {took:.1f} s to stop"
    wait_for(lambda: list(scratch.iterdir()) == [] or None, seconds=120)  # the preview site and its cache
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written beside the inventory


def test_a_large_preview_folder_is_removed_in_the_background_once_its_time_is_up(tmp_path):
    preview = tmp_path / "runbookgen-serve-x"
    for n in range(40):
        (preview / "site" / f"d{n}").mkdir(parents=True)
        for m in range(50):
            (preview / "site" / f"d{n}" / f"p{m}.html").write_text("x")
    started = time.monotonic()
    remove_preview(str(preview), seconds=0.0)
    assert time.monotonic() - started < 1.0
    assert not preview.exists()  # renamed at once: nothing half-removed under its name
    wait_for(lambda: list(tmp_path.iterdir()) == [] or None, seconds=60)


def test_a_small_preview_folder_is_gone_when_serve_ends(tmp_path):
    preview = tmp_path / "runbookgen-serve-y"
    (preview / "site").mkdir(parents=True)
    (preview / "site" / "index.html").write_text("x")
    remove_preview(str(preview))
    assert list(tmp_path.iterdir()) == []
