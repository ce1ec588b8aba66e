"""Read rule files in a worker process while the caller loads the inventory.

Reading 10,000 rules (YAML, then PromQL parsing of every expression) takes about
as long as validating the inventory against its JSON Schema, and the two do not
depend on each other. On a machine with a second core, a forked worker reads the
rules meanwhile and hands back the ``RuleSet`` and its PromQL verdicts, so the
checks do not parse anything again. Below about a megabyte of rule files, where
forking costs more than it saves, or where ``fork`` is unavailable, the rules are
read in the calling process when the result is asked for. Either way the result
is the same ``RuleSet``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

from runbookgen.problems import Position
from runbookgen.queries.promql import promql_error, remember_verdicts
from runbookgen.rules.model import RuleSet
from runbookgen.rules.paths import expand
from runbookgen.rules.read import read_rules

MIN_BYTES = 1 << 20


class RuleReader:
    """``result()`` gives the RuleSet; ``cancel()`` stops a worker whose result is no longer wanted."""

    def __init__(self, patterns, base_dir: str, where: Position | None, *, min_bytes: int = MIN_BYTES):
        self.args = (tuple(patterns), base_dir, where)
        self.worker = self.receiver = None
        if _can_fork() and _size(patterns, base_dir) >= min_bytes:
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.worker = context.Process(target=_work, args=(sender, *self.args), daemon=True)
            self.worker.start()
            sender.close()

    def result(self) -> RuleSet:
        if self.worker is not None:
            try:
                outcome = self.receiver.recv()
            except (EOFError, OSError):  # the worker died: fall back to reading here
                outcome = None
            self.cancel()
            if outcome is not None:
                ruleset, verdicts = outcome
                remember_verdicts(verdicts)
                return ruleset
        patterns, base_dir, where = self.args
        return read_rules(patterns, base_dir, where=where)

    def cancel(self) -> None:
        if self.worker is not None:
            if self.worker.is_alive():
                self.worker.terminate()
            self.worker.join()
            self.receiver.close()
            self.worker = None


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def _size(patterns, base_dir: str) -> int:
    total = 0
    for pattern in patterns:
        for path, _ in expand(pattern, base_dir)[0]:
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
    return total


def _work(sender, patterns, base_dir, where) -> None:
    try:
        ruleset = read_rules(patterns, base_dir, where=where)
        verdicts = {r.expr: promql_error(r.expr) for r in ruleset.rules if r.dialect == "prometheus" and r.expr}
        sender.send((ruleset, verdicts))
    except BaseException:  # noqa: BLE001 - the caller reads the rules itself and reports properly
        sender.send(None)
    finally:
        sender.close()
