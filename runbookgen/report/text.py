"""The text format: ``file:line:col: level CODE message [name]`` lines, notes, and a summary line."""

from __future__ import annotations

import dataclasses

_COLORS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m"}
_DIM, _RESET = "\033[2m", "\033[0m"


def summary_line(result) -> str:
    c = result.coverage
    files = len(result.files)
    parts = [f"{c.alerts} alert{_s(c.alerts)} in {files} rule file{_s(files)} ({c.alerting_rules} alerting "
             f"rule{_s(c.alerting_rules)}, {c.recording_rules} recording rule{_s(c.recording_rules)})",
             f"{c.with_runbook} with a runbook, {c.exempt} exempt",
             f"coverage {c.percent:.1f}% ({c.covered} of {c.required})",
             f"{result.count('error')} error{_s(result.count('error'))}, {result.count('warning')} "
             f"warning{_s(result.count('warning'))}, {result.count('info')} info"
             + (f", {result.waived} waived" if result.waived else "")]
    return "; ".join(parts)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def render(result, *, color: bool = False, fail_level: str = "error") -> str:
    lines = []
    for f in result.findings:
        if "\n" in f.message or "\r" in f.message:  # one finding, one line
            f = dataclasses.replace(f, message=" ".join(f.message.splitlines()))
        if color:
            lines.append(f"{_DIM}{f.pos}:{_RESET} {_COLORS[f.level]}{f.level}{_RESET} {f.code} {f.message} "
                         f"{_DIM}[{f.name}]{_RESET}")
        else:
            lines.append(str(f))
    lines += [f"note: {note}" for note in result.notes]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
