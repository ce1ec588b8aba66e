"""The json format: one stable document (see the package docstring for its fields)."""

from __future__ import annotations

import json

from runbookgen import __version__

FORMAT_VERSION = 1


def as_data(result) -> dict:
    c = result.coverage
    data = {
        "version": FORMAT_VERSION,
        "tool": {"name": "runbookgen", "version": __version__},
        "findings": [{"code": f.code, "name": f.name, "level": f.level, "file": f.pos.file, "line": f.pos.line,
                      "column": f.pos.col, "alert": f.alert, "message": f.message} for f in result.findings],
        "summary": {"alerting_rules": c.alerting_rules, "recording_rules": c.recording_rules, "alerts": c.alerts,
                    "alerts_with_runbook": c.with_runbook, "alerts_exempt": c.exempt,
                    "alerts_requiring_runbook": c.required, "alerts_covered": c.covered,
                    "coverage_percent": round(c.percent, 1), "errors": result.count("error"),
                    "warnings": result.count("warning"), "info": result.count("info"), "waived": result.waived,
                    "rule_files": list(result.files)},
        "notes": list(result.notes),
        "skipped": [{"file": file, "reason": reason} for file, reason in result.skipped],
    }
    if getattr(result, "live", None) is not None:
        data["live"] = result.live.as_data()  # what build --live-results shows beside each query
    return data


def render(result, *, color: bool = False, fail_level: str = "error") -> str:
    return json.dumps(as_data(result), indent=2, ensure_ascii=False) + "\n"
