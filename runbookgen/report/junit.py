"""The junit format: one test case per alert, failing when a finding reaches the failing level.

Alert names and messages come from rule files, which may hold characters XML 1.0
cannot carry at all (control characters other than tab and newlines, lone
surrogates, U+FFFE/U+FFFF); ElementTree would write them and make the whole report
unreadable. Each is written as a visible escape (``\x01``) instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from runbookgen.checks.base import LEVELS, level_rank


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written as a visible escape."""
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


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
        case = ET.SubElement(suite, "testcase", name=_xml(name), classname=_xml(classname))
        failing = [f for f in findings if _fails(f.level, fail_level)]
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(case, "failure", type=" ".join(sorted({f.code for f in failing})),
                                    message=_xml(first.message))
            failure.text = _xml("\n".join(str(f) for f in failing))
        rest = [f for f in findings if f not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = _xml("\n".join(str(f) for f in rest))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="runbookgen", tests=str(len(cases)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
