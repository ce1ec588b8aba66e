"""Properties of loading, validating and rendering, whatever the input.

For any text, bytes or structure: ``load_inventory`` returns an ``Inventory`` or raises
``InputError`` (never anything else); every problem has a file, a line and column from 1 and
a one-line message. An inventory that loads renders, to distinct page paths, and renders to
the same bytes every time. The library is called directly; the command line is covered by
test_bad_inputs.py.
"""

from __future__ import annotations

import copy
import os
import posixpath
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis.control import currently_in_test_context
from hypothesis import strategies as st

from runbookgen.yamlread import events as yaml_events
from runbookgen.generate.render import render_pages
from runbookgen.inventory import Inventory, load_inventory, validate
from runbookgen.problems import InputError, Problem

FAST = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])

# A valid inventory that uses every part of the schema; mutations of it reach every validator.
VALID = {
    "version": 1,
    "service": {
        "name": "Checkout", "description": "Takes the money.", "team": "payments", "owners": ["ana", "bo"],
        "repository": "https://git.example.com/checkout",
        "links": [{"title": "Design", "url": "https://docs.example.com/checkout"}],
        "dashboards": [{"title": "Overview", "url": "https://grafana.example.com/d/abc"}],
        "escalation": [{"name": "Primary", "role": "On-call", "contact": "#checkout", "after": "5m"},
                       {"name": "Manager", "after": "30m", "url": "https://pager.example.com/m"}],
        "oncall": {"rotation": "checkout-primary", "schedule_url": "https://pager.example.com/s",
                   "responsibilities": ["Answer pages", "Hand over"]},
    },
    "grafana": {"url": "https://grafana.example.com", "org_id": 2},
    "datasources": [{"name": "prom", "type": "prometheus", "uid": "p1", "url": "https://prom.example.com"},
                    {"name": "logs", "type": "loki", "uid": "l1"},
                    {"name": "traces", "type": "tempo", "uid": "t1"}],
    "severities": [{"id": "critical", "name": "Critical", "pages": True, "response_time": "15m",
                    "labels": ["critical", "page"], "color": "red", "examples": ["Checkout down"]},
                   {"id": "warning", "labels": ["warning"], "response_time": "1d"}],
    "alerts": [
        {"name": "HighErrorRate", "severity": "critical", "summary": "Too many 5xx",
         "description": "Users see *errors*.", "impact": "Orders fail.", "expr": "sum(rate(x[5m])) > 1",
         "for": "5m", "keep_firing_for": "10m", "labels": {"team": "payments"}, "datasource": "prom",
         "owner": "payments", "dashboards": [{"title": "Errors", "url": "https://grafana.example.com/d/e"}],
         "queries": [{"id": "errs", "title": "Error rate", "expr": "sum(rate(http_requests_total[5m]))"},
                     {"id": "logs", "title": "Error logs", "expr": '{app="checkout"} |= "error"',
                      "datasource": "logs"},
                     {"title": "Traces", "expr": "{ status = error }", "language": "traceql"}],
         "investigation": [{"step": "Look at errors", "query": "errs", "expect": "below 1/s"},
                           "Check the deploy log", {"step": "Pods", "command": "kubectl get pods"}],
         "causes": [{"cause": "Bad deploy", "confirm": "Compare versions", "query": "logs"}],
         "mitigation": {"immediate": ["Roll back"], "short_term": [{"step": "Scale", "command": "kubectl scale"}],
                        "long_term": ["Add a canary"]},
         "resolution": ["Fix the bug"], "verification": [{"step": "Errors drop", "query": "errs"}],
         "escalation": [{"name": "Payments lead"}], "related": ["DiskFull"], "tags": ["http", "checkout"],
         "last_reviewed": "2025-01-31", "status": "active"},
        {"name": "DiskFull", "severity": "warning", "summary": "Disk is filling up", "status": "draft"},
    ],
    "health_checks": [{"name": "API", "component": "api", "kind": "http", "endpoint": "https://api/healthz",
                       "expect": "200", "interval": "30s"}],
    "procedures": [{"id": "rollback", "title": "Roll back", "steps": ["helm rollback checkout"],
                    "verification": ["Check errors"], "rollback": ["helm upgrade"]},
                   {"id": "weekly", "title": "Weekly checks", "kind": "checklist", "cadence": "weekly",
                    "steps": [{"step": "Review alerts", "command": "runbookgen lint"}]}],
    "slos": [{"name": "Availability", "objective": 99.9, "sli": "sum(rate(ok[5m]))", "window": "30d",
              "alerts": ["HighErrorRate"]}],
    "lint": {"rules": ["rules/*.yaml"], "stale_after": "90d", "checks": {"RB001": "error"},
             "waivers": [{"alert": "DiskFull", "check": "RB010", "reason": "New", "expires": "2030-01-01"}]},
}
VALID_TEXT = yaml.safe_dump(VALID, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("props")


def write(folder: Path, data, name: str = "runbooks.yaml") -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


def assert_good_problem(problem: Problem) -> None:
    assert isinstance(problem, Problem)
    assert isinstance(problem.pos.file, str) and problem.pos.file
    assert isinstance(problem.pos.line, int) and problem.pos.line >= 1, problem
    assert isinstance(problem.pos.col, int) and problem.pos.col >= 1, problem
    assert isinstance(problem.message, str) and problem.message.strip(), problem
    assert "\n" not in problem.message and "\r" not in problem.message, problem  # one problem, one line


def load_or_problems(path: Path) -> Inventory | None:
    """The property itself: an Inventory, or InputError with well-formed problems; nothing else escapes."""
    try:
        inventory = load_inventory(str(path))
    except InputError as err:
        assert err.problems
        for problem in err.problems:
            assert_good_problem(problem)
        return None
    assert isinstance(inventory, Inventory)
    return inventory


def rendered(inventory: Inventory) -> list[tuple[str, bytes]]:
    return [(page.path, page.content.encode("utf-8")) for page in render_pages(inventory)]


def assert_renders(path: Path, inventory: Inventory) -> None:
    first = rendered(inventory)
    paths = [p for p, _ in first]
    assert len(paths) == len(set(paths)), "two pages share a path: one would overwrite the other"
    assert rendered(load_inventory(str(path))) == first  # load and render again: the same bytes


def check(folder: Path, data) -> Inventory | None:
    path = write(folder, data)
    inventory = load_or_problems(path)
    if currently_in_test_context():  # --hypothesis-show-statistics shows how many examples load
        event("loads" if inventory is not None else "refused")
    if inventory is not None:
        assert_renders(path, inventory)
    return inventory


# ---- strategies ---------------------------------------------------------------------------------

YAML_PIECES = list(" \t\n:-?,[]{}#&*!|>'\"%@`\\.0123abcxyz\r\x85\u2028\ufeff\x00\x01é") + [
    "version: 1\n", "service:\n  name: x\n", "alerts:\n", "  - name: A\n", "    severity: critical\n",
    "    summary: s\n", "    related: [A, B]\n", "include: [x.yaml]\n", "<<: ", "&a ", "*a", "!!str ", "!x ",
    "? ", "--- ", "...\n", "%YAML 1.1\n", '"\\u00e9"', "2025-02-30", "1e999", "0x1F", "~", ".nan",
]
yamlish = st.lists(st.sampled_from(YAML_PIECES), max_size=80).map("".join)

# Text that has broken Markdown, HTML or Jinja output elsewhere.
SPECIAL_TEXT = ["{{ x }}", "{% raw %}", "</script><script>alert(1)</script>", "`", "```", "~~~", "| a | b |",
                "[x](javascript:alert(1))", "{: onclick=alert(1) }", "<!--", "-->", "\\", "*", "_", "#", "---",
                "\u202e", "\x00", "a\nb", "  indented", "\t", "\ufeff", "%", "&amp;", "index", "Index"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["critical", "warning", "prom", "logs", "errs", "DiskFull", "HighErrorRate", "higherrorrate",
                     "index", "Index", "2025-02-30", "2025-01-01", "5m", "1.5h", "https://x.example.com",
                     "javascript:alert(1)", "", "a/b", "..", "promql", "logql", "traceql", "loki", "{{ x }}",
                     "{% raw %}", "</script>", "`", "```", "A" * 300]),
)
keys = st.one_of(st.text(max_size=12), st.sampled_from(
    ["name", "id", "step", "query", "expr", "title", "severity", "summary", "datasource", "include", "alerts",
     "related", "labels", "url", "language", "type", "steps", "objective", "sumary"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=12)


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _like(value):
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-2, max_value=10**6)
    if isinstance(value, float):
        return st.floats(min_value=0, max_value=101)
    if isinstance(value, str):
        return st.text(max_size=40) | st.sampled_from(SPECIAL_TEXT)
    if isinstance(value, list):
        return st.permutations(value) | st.just(value[:-1]) | st.just(value + value[:1])
    return st.just(value)


@st.composite
def mutated_inventories(draw):
    """The valid inventory with a few values replaced, removed, duplicated or renamed."""
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from([p for p in _paths(data) if p]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        operation = draw(st.sampled_from(["retype", "replace", "remove", "duplicate", "rename"]))
        if operation == "retype":  # a value of the same type: often still valid, so rendering gets exercised
            parent[last] = draw(_like(parent[last]))
        elif operation == "replace":
            parent[last] = draw(values)
        elif operation == "remove":
            del parent[last]
        elif operation == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif operation == "duplicate":
            parent[draw(keys)] = copy.deepcopy(parent[last])
        elif isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
    return data


FREE_TEXT = {"description", "impact", "summary", "title", "step", "command", "expect", "cause", "confirm", "notes",
             "role", "contact", "reason", "handoff", "rotation", "expr", "sli", "endpoint", "owner", "team"}
TEXT_PATHS = [p for p in _paths(VALID) if p and isinstance(p[-1], str) and p[-1] in FREE_TEXT
              and isinstance(_get(VALID, p), str)]
TEXT_PATHS += [p for p in _paths(VALID) if p and isinstance(p[-1], int) and isinstance(_get(VALID, p), str)
               and p[-2] in ("investigation", "resolution", "verification", "immediate", "short_term", "long_term",
                             "steps", "rollback", "examples", "responsibilities", "owners")]


@st.composite
def retexted_inventories(draw):
    """The valid inventory with prose, commands and expressions replaced by any text: it must still build."""
    data = copy.deepcopy(VALID)
    for path in draw(st.lists(st.sampled_from(TEXT_PATHS), min_size=1, max_size=6, unique=True)):
        parent = _get(data, path[:-1])
        parent[path[-1]] = draw(st.text(min_size=1, max_size=60) | st.sampled_from(SPECIAL_TEXT))
    return data


def as_team_file(data) -> dict:
    """The includable sections of a mutated inventory, renamed so they do not clash with the main file's."""
    part = {key: data[key] for key in ("alerts", "health_checks", "procedures", "slos") if key in data}
    for key, field in (("alerts", "name"), ("procedures", "id")):
        for item in part.get(key) if isinstance(part.get(key), list) else ():
            if isinstance(item, dict) and isinstance(item.get(field), str):
                item[field] = "Team" + item[field]
    return part


@st.composite
def edited_texts(draw):
    """The valid inventory's text with a few characters or lines inserted, removed or repeated."""
    lines = VALID_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        operation = draw(st.sampled_from(["insert", "delete", "repeat", "drop", "indent", "dedent"]))
        column = draw(st.integers(min_value=0, max_value=len(line)))
        if operation == "insert":
            lines[index] = line[:column] + draw(st.sampled_from(YAML_PIECES)) + line[column:]
        elif operation == "delete":
            lines[index] = line[:column] + line[column + 1:]
        elif operation == "repeat":
            lines.insert(index, line)
        elif operation == "drop" and len(lines) > 1:
            del lines[index]
        elif operation == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "\t"])) + line
        else:
            lines[index] = line[min(2, len(line) - len(line.lstrip(" "))):]
    return "".join(lines)


# ---- properties ---------------------------------------------------------------------------------

def test_the_valid_inventory_loads_and_renders(folder):
    inventory = check(folder, VALID_TEXT)
    assert inventory is not None and len(inventory.alerts) == 2


@FAST
@given(text=yamlish)
def test_any_yaml_like_text(folder, text):
    check(folder, text)


@FAST
@given(data=st.binary(max_size=300))
def test_any_bytes(folder, data):
    check(folder, data)


@FAST
@given(data=values, flow=st.booleans())
def test_any_structure_dumped_to_yaml(folder, data, flow):
    check(folder, yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


@FAST
@given(section=st.sampled_from(sorted(VALID)), data=values)
def test_any_structure_in_any_section(folder, section, data):
    document = {"version": 1, "service": {"name": "Checkout"}, section: data}
    check(folder, yaml.safe_dump(document, allow_unicode=True))


@settings(FAST, max_examples=60)
@given(data=retexted_inventories())
def test_any_text_in_a_valid_inventory_renders(folder, data):
    assert check(folder, yaml.safe_dump(data, sort_keys=False, allow_unicode=True)) is not None


@settings(FAST, max_examples=150)
@given(data=mutated_inventories(), flow=st.booleans())
def test_mutations_of_a_valid_inventory(folder, data, flow):
    check(folder, yaml.safe_dump(data, sort_keys=False, default_flow_style=flow, allow_unicode=True))


@settings(FAST, max_examples=150)
@given(text=edited_texts())
def test_edits_of_a_valid_inventory_text(folder, text):
    check(folder, text)


@FAST
@given(part=st.one_of(yamlish, values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
                      mutated_inventories().map(lambda d: yaml.safe_dump(as_team_file(d), allow_unicode=True))))
def test_any_included_file(folder, part):
    write(folder, part, "part.yaml")
    check(folder, VALID_TEXT + "include: [part.yaml, 'part.*']\n")


@settings(FAST, max_examples=100)
@given(text=yamlish)
def test_any_yaml_like_text_with_the_pure_python_reader(folder, text):
    """Where libyaml is missing PyYAML's own reader runs, and raises some errors earlier."""
    with mock.patch.object(yaml_events, "Parser", yaml.SafeLoader):
        check(folder, text)


def test_the_fast_schema_check_is_used_and_defers_on_corner_cases():
    """The compiled validator accepts the valid inventory; where it would disagree with Python, it defers."""
    assert validate.fast_says_valid(copy.deepcopy(VALID))
    trailing_newline = copy.deepcopy(VALID)  # Python's `$` matches before a final newline, Rust's does not
    trailing_newline["alerts"][1]["name"] = "DiskFull\n"
    number_key = copy.deepcopy(VALID)  # not convertible to JSON (the YAML reader reports such keys itself)
    number_key["alerts"][0]["labels"] = {1: "x"}
    for data in (trailing_newline, number_key):
        assert not validate.fast_says_valid(data)
        assert validate.is_valid(data) == validate._validator().is_valid(data) is True
    lone_surrogate = copy.deepcopy(VALID)  # not representable as UTF-8; both accept it in prose...
    lone_surrogate["service"]["description"] = "bad \ud800 text"
    assert validate.fast_says_valid(lone_surrogate) and validate.is_valid(lone_surrogate)
    control = copy.deepcopy(VALID)  # a name may be any text Prometheus accepts, but not a control character
    control["alerts"][1]["name"] = "Disk\x01Full"
    assert not validate.fast_says_valid(control) and not validate.is_valid(control)
    control["alerts"][1]["name"] = "Disk full ä"  # spaces and any letter are fine
    assert validate.fast_says_valid(control) and validate.is_valid(control)


@settings(FAST, max_examples=400)
@given(data=st.one_of(mutated_inventories(), retexted_inventories(), values,
                      st.sampled_from(sorted(VALID)).flatmap(
                          lambda section: values.map(lambda v: {"version": 1, "service": {"name": "S"}, section: v}))))
def test_the_fast_schema_check_accepts_nothing_the_reference_refuses(data):
    fast, reference = validate.fast_says_valid(data), validate._validator().is_valid(data)
    event(f"fast {fast}, reference {reference}")
    assert reference or not fast


def test_rendering_does_not_depend_on_hash_seeds(folder):
    """Deterministic by construction: two processes with different hash seeds write the same bytes."""
    path = write(folder, VALID_TEXT, "seeded.yaml")
    program = ("import hashlib, sys\n"
               "from runbookgen.inventory import load_inventory\n"
               "from runbookgen.generate.render import render_pages\n"
               "digest = hashlib.sha256()\n"
               "for page in render_pages(load_inventory(sys.argv[1])):\n"
               "    digest.update(page.path.encode() + b'\\0' + page.content.encode() + b'\\0')\n"
               "print(digest.hexdigest())\n")
    digests = set()
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", program, str(path)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert proc.returncode == 0, proc.stderr
        digests.add(proc.stdout)
    assert len(digests) == 1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "alerts", "x.md", "index.md", ".", "..", ""]), min_size=1, max_size=5),
       st.lists(st.sampled_from(["a", "b", "alerts", "severities", ".", ".."]), max_size=4))
def test_relative_links_between_pages_are_those_posixpath_computes(target, folder):
    from runbookgen.generate.render import relative_path

    target_path, folder_path = "/".join(target), "/".join(folder)
    assume(target_path and not target_path.startswith("/"))
    assert relative_path(target_path, folder_path) == posixpath.relpath(target_path, folder_path or ".")
