"""The junit format: one test case per alert, failing when a finding reaches the failing level."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from runbookgen.checks.base import LEVELS, level_rank


def _fails(level: str, fail_level: str) -> bool:
    return fail_level in LEVELS and level_rank(level) <= level_rank(fail_level)


def render(result, *, color: bool = False, fail_level: str = "error") -> str:
    by_alert: dict[str, list] = {}
    by_file: dict[str, list] = {}
    for f in result.findings:
        (by_alert.setdefault(f.alert, []) if f.alert else by_file.setdefault(f.pos.file, [])).append(f)
    cases = [(name, file, by_alert.get(name, [])) for name, file in result.alerts]
    known = {name for name, _ in result.alerts}
    cases += [(name, findings[0].pos.file, findings) for name, findings in sorted(by_alert.items())
              if name not in known]
    cases += [(f"file {file}", "runbookgen.files", findings) for file, findings in sorted(by_file.items())]
    suite = ET.Element("testsuite", name="runbookgen lint", tests=str(len(cases)))
    failures = 0
    for name, classname, findings in cases:
        case = ET.SubElement(suite, "testcase", name=name, classname=classname)
        failing = [f for f in findings if _fails(f.level, fail_level)]
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(case, "failure", type=" ".join(sorted({f.code for f in failing})),
                                    message=first.message)
            failure.text = "\n".join(str(f) for f in failing)
        rest = [f for f in findings if f not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(str(f) for f in rest)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="runbookgen", tests=str(len(cases)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
