"""Read rule files in a worker process while the caller loads the inventory, then share what is left.

Reading 10,000 rules (YAML, then PromQL parsing of every expression) costs more
than loading the inventory, and the two do not depend on each other. On a machine
with a second core, a forked worker starts on the rule files at once, taking them
from the front of the list; when the caller has its inventory and asks for the
result, it reads files from the back of the list itself until the two meet, then
takes the worker's files and PromQL verdicts (so the checks parse nothing again).
One big file (a compiled mixin's ``alerts.yaml``) goes to the worker too: the
caller's share of the work is then the inventory.
Below about a megabyte of rule files, where forking costs more than it saves, where
``fork`` is unavailable, or where no second core is idle (the one-minute load average,
as builds decide: a worker on a busy core only slows its parent down), the caller reads
every file itself. Either way the
result is the same ``RuleSet``, files in the order they were listed.
"""

from __future__ import annotations

import os

from runbookgen.problems import Position
from runbookgen.processes import forking_allowed, spare_core
from runbookgen.queries.promql import computed_verdicts, promql_error, remember_verdicts
from runbookgen.rules.model import RuleSet
from runbookgen.rules.read import FileResult, assemble, read_rule_file, rule_files

MIN_BYTES = 1 << 20
_FRONT, _BACK = 0, 1  # shared cursors: the worker's next file, and one past the caller's next file


class RuleReader:
    """``result()`` gives the RuleSet; ``cancel()`` stops a worker whose result is no longer wanted."""

    def __init__(self, patterns, base_dir: str, *, min_bytes: int = MIN_BYTES, parallel: bool = True):
        self.patterns = tuple(patterns)
        self.todo, self.unmatched = rule_files(self.patterns, base_dir)
        self.results: list[FileResult | None] = [None] * len(self.todo)
        self.worker = self.receiver = self.cursors = None
        if parallel and self.todo and _can_fork() and _size(self.todo) >= min_bytes:
            import multiprocessing  # only when a worker is started

            context = multiprocessing.get_context("fork")
            self.cursors = context.Array("i", [0, len(self.todo)])
            self.receiver, sender = context.Pipe(duplex=False)
            self.worker = context.Process(target=_work, args=(sender, self.todo, self.cursors), daemon=True)
            self.worker.start()
            sender.close()

    def result(self, where: Position | None = None) -> RuleSet:
        """The rules; ``where`` is the position that problems about the patterns themselves point at."""
        if self.worker is not None:
            while (index := _claim(self.cursors, _BACK)) is not None:
                self.results[index] = _read(self.todo[index], {})
            try:
                outcome = self.receiver.recv()
            except (EOFError, OSError):  # the worker died: its files are read below
                outcome = None
            self.cancel()
            if outcome is not None:
                done, verdicts = outcome
                for index, file_result in done:
                    self.results[index] = file_result
                remember_verdicts(verdicts)
        for index, file_result in enumerate(self.results):
            if file_result is None:
                self.results[index] = read_rule_file(*self.todo[index])
        return assemble(self.results, self.unmatched, where)

    def cancel(self) -> None:
        if self.worker is not None:
            if self.worker.is_alive():
                self.worker.terminate()
            self.worker.join()
            self.receiver.close()
            self.worker = None


def _claim(cursors, end: int) -> int | None:
    """The next unread file's index from the front or the back of the list, or None when none is left."""
    with cursors.get_lock():
        if cursors[_FRONT] >= cursors[_BACK]:
            return None
        if end == _FRONT:
            cursors[_FRONT] += 1
            return cursors[_FRONT] - 1
        cursors[_BACK] -= 1
        return cursors[_BACK]


def _can_fork() -> bool:
    """Fork where it is cheap and safe, and only onto a core nobody else uses (see processes.spare_core)."""
    return forking_allowed() and spare_core()


def _size(todo) -> int:
    total = 0
    for path, *_ in todo:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total


def _read(entry: tuple[str, bool, str], verdicts: dict) -> FileResult:
    """Read one file and parse its PromQL (the invalid-promql check needs every verdict)."""
    result = read_rule_file(*entry)
    for rule in result.rules:
        if rule.dialect == "prometheus" and rule.expr:
            verdicts[rule.expr] = promql_error(rule.expr)
    return result


def _work(sender, todo, cursors) -> None:
    try:
        done, verdicts = [], {}
        while (index := _claim(cursors, _FRONT)) is not None:
            done.append((index, _read(todo[index], verdicts)))
        sender.send((done, computed_verdicts(verdicts)))  # the analyses, positions included
    except BaseException:  # noqa: BLE001 - the caller reads the files itself and reports properly
        sender.send(None)
    finally:
        sender.close()
