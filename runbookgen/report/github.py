"""The github format: workflow commands that GitHub Actions turns into annotations."""

from __future__ import annotations

from runbookgen.report.text import summary_line

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result, *, color: bool = False, fail_level: str = "error") -> str:
    lines = []
    for f in result.findings:
        props = ",".join(f"{k}={escape_property(str(v))}" for k, v in (
            ("file", f.pos.file), ("line", f.pos.line), ("col", f.pos.col), ("title", f"{f.code} {f.name}")))
        lines.append(f"::{_COMMAND[f.level]} {props}::{escape_data(f.message)}")
    lines += [f"::notice::{escape_data(note)}" for note in result.notes]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
