"""Worker processes for one site build: fork, count progress, hand results back.

A site build is CPU-bound and single-threaded; on a machine with several cores
``build_site`` forks workers once the navigation is known, so every process
shares the parsed configuration, the theme and the navigation, and renders its
own share of the pages into the same staging folder. Each worker leaves its
result (search index entries, anchors, warnings) in a pickle file and exits
without unwinding into the caller. Fork-only: used on Linux, and never from a
process that runs other threads (``runbookgen serve``).
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1
_SLOT = struct.Struct("q")


def forking_allowed() -> bool:
    """Fork only where it is cheap and safe: Linux, and no other thread that a child would lose mid-work."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), else every core the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def one_minute_load() -> float:
    """The one-minute load average: how many processes wanted a core, lately; 0 where the system has none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


LOADAVG = "/proc/loadavg"  # its fourth field: runnable tasks / all tasks
_LAST_READING: list = []  # [when (monotonic), others running then]


def others_running(samples: int = 3) -> float | None:
    """How many other processes want a core right now: the kernel's count of runnable tasks
    (``/proc/loadavg``), less this one, the median of a few readings a millisecond apart; None where the
    system does not say.

    The one-minute load average lags: for a minute after a build it still counts that build, so the next
    build on an idle machine would see a busy core and not fork (measured: back-to-back builds at 1,000
    alerts all ran in one process, 1.12x plain mkdocs, where two processes took 0.51 - 0.63x the time).
    A reading is used again for a second: lint asks twice at its start."""
    now = time.monotonic()
    if _LAST_READING and now - _LAST_READING[0] < 1.0:
        return _LAST_READING[1]
    counts = []
    for n in range(samples):
        try:
            with open(LOADAVG, encoding="ascii") as handle:
                running = int(handle.read().split()[3].split("/")[0])
        except (OSError, IndexError, ValueError):
            return None
        counts.append(max(0, running - 1))
        if n + 1 < samples:
            time.sleep(0.001)
    counts.sort()
    _LAST_READING[:] = [now, float(counts[len(counts) // 2])]
    return _LAST_READING[1]


def idle_cores(cores: int | None = None, load: float | None = None) -> int:
    """How many cores nobody uses now: the available cores less the processes that want one (``others_running``,
    else the one-minute load average), rounded (0 or more).

    Builds start one process per idle core (``build.default_jobs``); lint forks a helper only when
    ``spare_core()`` says so. A forked process pays only on a core nobody else wants: on two busy cores it
    competes with its own parent, and the work takes longer than in one process.
    """
    cores = available_cores() if cores is None else cores
    if load is None:
        load = others_running()
        load = one_minute_load() if load is None else load
    return max(0, min(cores, round(cores - load)))


def spare_core(cores: int | None = None, load: float | None = None) -> bool:
    """Whether a process forked beside this one would have a core of its own: two idle cores, one for each."""
    return idle_cores(cores, load) >= 2


def share_out(sizes: dict[str, int], count: int) -> list[list[str]]:
    """Split pages into ``count`` lists of about equal total size, biggest first (the LPT rule).

    Markdown size is a fair predictor of a page's build time; the biggest pages
    (the alert index, the severity pages) are placed first so they do not all
    land on one process.
    """
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += sizes[name] + 1
    order = sorted(range(count), key=lambda i: loads[i])  # the parent, which also writes the rest, takes the lightest
    return [sorted(shares[i]) for i in order]


class Crew:
    """The parent's view of its workers: progress counters, waiting, stopping."""

    def __init__(self, size: int, scratch: str):
        self.size = size
        self.scratch = scratch
        self.counters = mmap.mmap(-1, _SLOT.size * size)  # anonymous and shared: survives fork
        self.pids: dict[int, int] = {}  # index -> pid
        self.index = 0  # which share this process builds: 0 in the parent

    def start(self) -> int:
        """Fork the workers; returns this process's share index (0 in the parent, 1.. in workers)."""
        parent = os.getpid()
        for index in range(1, self.size):
            pid = os.fork()
            if pid == 0:
                self.index, self.pids = index, {}
                _die_with(parent)
                return index
            self.pids[index] = pid
        return 0

    @property
    def is_worker(self) -> bool:
        return self.index != 0

    def tick(self) -> None:
        offset = self.index * _SLOT.size
        self.counters[offset:offset + _SLOT.size] = _SLOT.pack(_SLOT.unpack_from(self.counters, offset)[0] + 1)

    def done(self) -> int:
        return sum(_SLOT.unpack_from(self.counters, i * _SLOT.size)[0] for i in range(self.size))

    def finish(self, payload: dict, *, failed: bool = False) -> None:
        """In a worker: leave the result for the parent and exit at once (no cleanup, no unwinding)."""
        try:
            path = os.path.join(self.scratch, f"worker-{self.index}.pickle")
            with open(path + ".tmp", "wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(path + ".tmp", path)
        finally:
            os._exit(1 if failed else 0)

    def wait(self, on_progress: Callable[[], None] | None = None) -> list[dict]:
        """In the parent: wait for every worker; a worker that died without a result is a failure."""
        pending = dict(self.pids)
        results: list[dict] = []
        while pending:
            for index, pid in list(pending.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    del pending[index]
                    del self.pids[index]
                    results.append(self._result(index, os.waitstatus_to_exitcode(status)))
            if on_progress:
                on_progress()  # also once after the last worker ended, so the final count is reported
            if pending:
                time.sleep(0.05)
        return results

    def _result(self, index: int, code: int) -> dict:
        path = os.path.join(self.scratch, f"worker-{index}.pickle")
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except OSError:
            return {"error": f"a site build worker stopped unexpectedly (exit status {code})", "warnings": []}

    def stop(self) -> None:
        """In the parent, on failure: end the workers this build started, and reap them."""
        for pid in self.pids.values():
            _end(pid)
        self.pids = {}


def _end(pid: int) -> None:
    """Kill a child of this process and reap it; nothing to do if it has already gone."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _die_with(parent: int) -> None:
    """Ask Linux to end this worker if the parent dies, so a killed build leaves no process behind."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class Forked:
    """``fn(*args)`` computed in a forked child while the caller goes on; ``result()`` gives its value.

    Where forking is not allowed, or the child fails in any way (an input error included), ``fn`` runs
    in the caller when the result is asked for, so errors are raised and reported as they would be
    without a child. The value travels back pickled through a pipe.
    """

    def __init__(self, fn: Callable, *args, fork: bool = True):
        self.fn, self.args = fn, args
        self.pid: int | None = None
        self.done = False
        self.value = None
        if not (fork and forking_allowed()):
            return
        read_end, write_end = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and exit without unwinding into the caller
            os.close(read_end)
            try:
                _die_with(parent)
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as handle:
                    handle.write(data)
            except BaseException:  # noqa: BLE001 - the parent computes it again and reports properly
                os._exit(1)
            os._exit(0)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self):
        if not self.done:
            if self.pid is not None:
                value = self._receive()
                if value is not None:
                    self.value, self.done = value[0], True
            if not self.done:
                self.value, self.done = self.fn(*self.args), True
        return self.value

    def _receive(self) -> tuple | None:
        with os.fdopen(self.read_end, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return None
        return (pickle.loads(data),)

    def cancel(self) -> None:
        """End the child if it still runs (the caller failed and no longer wants the value)."""
        if self.pid is not None:
            _end(self.pid)
            os.close(self.read_end)
            self.pid = None
