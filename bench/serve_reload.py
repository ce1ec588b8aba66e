"""Edit-to-reload in `runbookgen serve`, and bytes per page load, measured in a real browser (Chromium).

    python bench/bench_build.py --serve-reload 1000 10000 --runs 5

For each size: a synthetic service (bench/synth.py) served by `runbookgen serve`; an alert page open in
Chromium; then, each run, one investigation step of that alert edited in runbooks.yaml. Timed from just before
the file is written to the moment the open page shows the new text (the preview reloads it by itself): what a
reader of the preview waits for. Then, in a fresh browser context, the bytes one page view downloads: the first
alert page (nothing cached), a second alert page, and a search for an alert by name.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
STEP = "      - step: Look at the main signal.\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_served(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} was not served within {seconds:.0f} s")


def _edit(text: str, occurrence: int, run: int) -> tuple[str, str, str]:
    """The inventory with one step of one alert changed: (new text, the alert's name, the words to look for)."""
    at = -1
    for _ in range(occurrence):
        at = text.index(STEP, at + 1)
    name = re.findall(r"- name: (\S+)\n", text[:at])[-1]
    words = f"reload {run}"
    return text[:at] + f"      - step: Look at the main signal ({words}).\n" + text[at + len(STEP):], name, words


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its waited-for children (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _article_shows(words: str) -> str:
    return ("() => { const a = document.querySelector('article'); "
            f"return a !== null && a.innerText.includes({words!r}); }}")


def measure(count: int, runs: int, workdir: Path, synth, env: dict, page_bytes: bool = True, label: str = "") -> dict:
    from playwright.sync_api import sync_playwright

    folder = workdir / f"serve{count}{label}"
    synth.write(count, str(folder))
    inventory = folder / "runbooks.yaml"
    original = inventory.read_text()
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(workdir / f"serve{count}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "runbookgen", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=folder, env={**env, "TMPDIR": str(workdir)}, stdout=log, stderr=log)
    times: list[float] = []
    cpu: list[float] = []
    try:
        _wait_served(base, 3600)
        _, name, _ = _edit(original, 3, 0)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}alerts/{name.lower()}.html")
            page.wait_for_load_state("load")
            for run in range(1, runs + 1):
                edited, _, words = _edit(original, 3, run)
                time.sleep(1.0)  # the previous reload settled
                spent = _cpu_seconds(proc.pid)
                started = time.perf_counter()
                inventory.write_text(edited)
                page.wait_for_function(_article_shows(words), timeout=600_000, polling=20)
                times.append(time.perf_counter() - started)
                cpu.append(_cpu_seconds(proc.pid) - spent)
                print(f"  {count} alerts{' ' + label if label else ''}, edit-to-reload run {run}/{runs}: {times[-1]:.2f} s, "
                      f"serve CPU {cpu[-1]:.2f} s, load {os.getloadavg()[0]:.1f}", flush=True)
            browser.close()
    finally:
        inventory.write_text(original)  # one more save, and a stop while serve rebuilds for it
        time.sleep(0.3)
        stopping = time.perf_counter()
        proc.terminate()
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stopped = time.perf_counter() - stopping
        print(f"  {count} alerts: serve stopped {stopped:.2f} s after SIGTERM", flush=True)
        log.close()
    return {"alerts": count, "runs": runs, "median": statistics.median(times), "min": min(times),
            "max": max(times), "cpu": statistics.median(cpu), "stop": stopped, "times": times, "cpus": cpu,
            "bytes": page_load_bytes(folder, synth, env) if page_bytes else None}


def page_load_bytes(folder: Path, synth, env: dict) -> dict:
    """Bytes downloaded (response bodies over the network; cached ones count 0) for one page view, from a plain
    static server of the built site, in one browser context: the first alert page, a second, then search."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    subprocess.run([sys.executable, "-m", "runbookgen", "build"], cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    first, second = synth.alert_parts(1)["name"].lower(), synth.alert_parts(2)["name"].lower()
    result = {}
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            got: list[int] = []

            def on_finished(request):  # bytes that came over the network: 0 for what the browser had cached
                try:
                    got.append(request.sizes()["responseBodySize"])
                except Exception:  # noqa: BLE001 - a request the browser no longer knows (page left)
                    pass

            page.on("requestfinished", on_finished)
            for label, address in (("first alert page, nothing cached", first), ("another alert page", second)):
                got.clear()
                page.goto(f"{base}alerts/{address}.html")
                page.wait_for_load_state("load")
                page.wait_for_timeout(500)
                result[label] = sum(got)
            got.clear()
            page.locator("input.md-search__input").click()
            page.locator("input.md-search__input").press_sequentially(synth.alert_parts(3)["name"], delay=10)
            page.wait_for_selector(".md-search-result__item", timeout=120_000)
            result["search used on that page"] = sum(got)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return result


def report(results: list[dict]) -> str:
    lines = ["Edit-to-reload in `runbookgen serve` (one investigation step edited; from the file written to the open "
             "page showing it, in Chromium), and bytes per page view over http:", "",
             "| alerts | edit-to-reload, median (s) | min - max (s) | serve CPU per edit, median (s) | runs | "
             "first alert page (KB) | another alert page (KB) | search used (KB) | stop during a rebuild (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        b = [f"{v / 1024:.0f}" for v in r["bytes"].values()] if r["bytes"] else ["", "", ""]
        lines.append(f"| {r['alerts']:,} | {r['median']:.2f} | {r['min']:.2f} - {r['max']:.2f} | {r['cpu']:.2f} | "
                     f"{r['runs']} | {b[0]} | {b[1]} | {b[2]} | {r['stop']:.2f} |")
    return "\n".join(lines) + "\n"


def run(sizes: list[int], runs: int, workdir: Path, synth, env: dict, page_bytes: bool = True) -> str:
    os.makedirs(workdir, exist_ok=True)
    return report([measure(n, runs, workdir, synth, env, page_bytes) for n in sizes])


def compare(sizes: list[int], runs: int, rounds: int, workdir: Path, synth, env: dict, before: str,
            after: str | None = None) -> str:
    """Edit-to-reload of this code against another copy of runbookgen (``before``: a folder holding its
    ``runbookgen`` package, e.g. ``git archive`` of an earlier commit; ``after``: the same for this code, so that
    editing it meanwhile changes nothing), serve processes alternated round by round (each variant first in turn),
    ``runs`` edits per serve process; medians over every edit of a variant."""
    os.makedirs(workdir, exist_ok=True)
    variants = {"before": {**env, "PYTHONPATH": os.path.abspath(before)},
                "after": {**env, "PYTHONPATH": os.path.abspath(after)} if after else env}
    lines = ["Edit-to-reload, this code (after) against an earlier one (before), serve processes alternated:", "",
             "| alerts | variant | edit-to-reload, median (s) | min - max (s) | serve CPU per edit, median (s) | "
             "edits | load average during |", "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for count in sizes:
        found = {name: {"times": [], "cpus": [], "loads": []} for name in variants}
        for number in range(rounds):
            names = list(variants)[number % 2:] + list(variants)[:number % 2]
            for name in names:
                result = measure(count, runs, workdir, synth, variants[name], page_bytes=False, label=name)
                found[name]["times"] += result["times"]
                found[name]["cpus"] += result["cpus"]
                found[name]["loads"].append(os.getloadavg()[0])
        for name, got in found.items():
            times = got["times"]
            lines.append(f"| {count:,} | {name} | {statistics.median(times):.2f} | {min(times):.2f} - {max(times):.2f}"
                         f" | {statistics.median(got['cpus']):.2f} | {len(times)} | "
                         f"{min(got['loads']):.1f} - {max(got['loads']):.1f} |")
    return "\n".join(lines) + "\n"
