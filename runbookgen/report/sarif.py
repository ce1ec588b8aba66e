"""The sarif format: SARIF 2.1.0 for GitHub code scanning, with every check described as a rule."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from runbookgen import __version__
from runbookgen.checks.base import summary_of
from runbookgen.report.check_pages import check_page
from runbookgen.checks.registry import CHECKS

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def artifact_location(file: str) -> dict:
    """A relative path as a %SRCROOT%-based URI; anything else as a file: URI."""
    if os.path.isabs(file):
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(file.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _first_section(check) -> str:
    """The "What it catches" paragraph, flattened (GitHub shows up to 1024 characters of it)."""
    doc = check.__doc__ or ""
    section = doc.split("## What it catches", 1)[-1].split("\n## ", 1)[0]
    return " ".join(section.split())[:1024] or summary_of(check)


def _rule(check) -> dict:
    page = check_page(check)
    return {
        "id": check.CODE,
        "name": check.NAME,
        "shortDescription": {"text": summary_of(check)},
        "fullDescription": {"text": _first_section(check)},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": _LEVEL[check.LEVEL]},
        "properties": {"tags": ["runbooks"], "precision": "very-high",
                       "problem.severity": _PROBLEM_SEVERITY[check.LEVEL]},
    }


def render(result, *, color: bool = False, fail_level: str = "error") -> str:
    index = {check.CODE: n for n, check in enumerate(CHECKS)}
    results = []
    for f in result.findings:
        identity = "\0".join((f.code, f.pos.file, f.alert or f.message))
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.level],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.pos.file),
                                                "region": {"startLine": f.pos.line, "startColumn": f.pos.col,
                                                           "endLine": f.pos.line, "endColumn": f.pos.col + 1}}}],
            "partialFingerprints": {"runbookgenFinding/v1": hashlib.sha256(identity.encode()).hexdigest()[:32]},
        })
    run = {
        "tool": {"driver": {"name": "runbookgen", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(check) for check in CHECKS]}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "note", "message": {"text": note}} for note in result.notes]}],
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
