"""Every way an author can get the inventory wrong, run through the command line.

The corpus is data: one YAML file per case in ``bad_inputs/cases/``, its expectations in a
header comment (see ``bad_inputs/README.md``):

    # expect: 2 runbooks.yaml:7:5 "unknown key 'sumary'" "did you mean 'summary'?"

Each case asserts the exit code, every problem line's exact ``file:line:col`` prefix and key
words, in order (so: every mistake at once, sorted by line), and no traceback. Cases marked
``# build: yes`` also run through ``runbookgen build`` over a previously built site, which
must stay byte for byte as it was. Inputs a text file cannot hold (empty, binary, 50 MB, a
folder, a missing or unreadable file) are generated below.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import FIXTURES

CASES_DIR = Path(__file__).resolve().parent / "bad_inputs" / "cases"
INVENTORY = "runbooks.yaml"
_EXPECT = re.compile(r"^# expect: (?P<code>\d+) (?P<where>\S+:\d+:\d+) ?(?P<words>.*)$")
_FILE = re.compile(r"^#=== file: (?P<name>\S+)\s*$")
_LINE = re.compile(r"^(?P<where>.+?:\d+:\d+): (?P<message>.*)$")


@dataclass(frozen=True)
class Expected:
    code: int
    where: str
    words: tuple[str, ...]


@dataclass
class Case:
    name: str
    files: dict[str, bytes]
    expected: list[Expected]
    build: bool = False
    xfail: str = ""
    args: list[str] = field(default_factory=lambda: ["--inventory", INVENTORY])
    prepare: object = None  # a callable(folder) for what a text file cannot hold
    unprivileged: bool = False  # run without the power to read unreadable files (root would read them)


def parse_case(path: Path) -> Case:
    """A case file: runbooks.yaml as written, further files after ``#=== file: NAME`` lines."""
    case = Case(path.stem, {}, [])
    current, lines = INVENTORY, []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        marker = _FILE.match(line)
        if marker:
            case.files[current] = "".join(lines).encode()
            current, lines = marker["name"], []
            continue
        lines.append(line)
        if current != INVENTORY or not line.startswith("# "):
            continue
        expect = _EXPECT.match(line.rstrip("\n"))
        if expect:
            case.expected.append(Expected(int(expect["code"]), expect["where"], tuple(shlex.split(expect["words"]))))
        elif line.startswith("# build: yes"):
            case.build = True
        elif line.startswith("# xfail: "):
            case.xfail = line.removeprefix("# xfail: ").strip()
    case.files[current] = "".join(lines).encode()
    assert case.expected, f"{path.name}: no '# expect:' line"
    return case


def file_cases() -> list[Case]:
    return [parse_case(p) for p in sorted(CASES_DIR.glob("*.yaml"))]


# ---- cases a text file in the corpus cannot hold ------------------------------------------------

def _too_large(folder: Path) -> None:
    """50 MB, written at test time and never committed."""
    with open(folder / INVENTORY, "wb") as handle:
        handle.write(b"version: 1\nservice:\n  name: Big\n  description: '")
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"'\n")


def _deep(folder: Path) -> None:
    lines = ["version: 1", "service:", "  name: Deep", "lint:"]
    lines += ["  " * depth + "x:" for depth in range(1, 80)]
    (folder / INVENTORY).write_text("\n".join(lines) + " end\n", encoding="utf-8")


def _needs(device: str):
    def prepare(folder: Path) -> None:
        if not os.path.exists(device):
            pytest.skip(f"{device} does not exist here")
    return prepare


def _unreadable(name: str):
    def prepare(folder: Path) -> None:
        os.chmod(folder / name, 0)
    return prepare


GOOD = (FIXTURES / "minimal" / INVENTORY).read_bytes()
GENERATED = [
    Case("gen-empty-file", {INVENTORY: b""}, [Expected(2, "runbooks.yaml:1:1", ("file is empty",))], build=True),
    Case("gen-directory", {}, [Expected(2, "runbooks.yaml:1:1", ("is a directory", "not a YAML file"))],
         prepare=lambda folder: (folder / INVENTORY).mkdir(), build=True),
    Case("gen-missing-file", {}, [Expected(2, "runbooks.yaml:1:1", ("file not found",))], build=True),
    Case("gen-binary-png", {INVENTORY: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"},
         [Expected(2, "runbooks.yaml:3:1", ("binary data", "NUL byte"))], build=True),
    Case("gen-nul-byte-in-text", {INVENTORY: b"version: 1\nservice:\n  name: De\x00mo\n"},
         [Expected(2, "runbooks.yaml:3:11", ("binary data", "NUL byte"))]),
    Case("gen-latin1-not-utf8", {INVENTORY: b"version: 1\nservice:\n  name: D\xe9mo\n"},
         [Expected(2, "runbooks.yaml:3:10", ("not valid UTF-8", "0xe9"))], build=True),
    Case("gen-utf16-file", {INVENTORY: "\ufeffversion: 1\n".encode("utf-16-le")},
         [Expected(2, "runbooks.yaml:1:1", ("UTF-16", "save it as UTF-8"))]),
    Case("gen-utf8-bom-then-latin1", {INVENTORY: b"\xef\xbb\xbfversion: 1\nservice: {name: \xff}\n"},
         [Expected(2, "runbooks.yaml:2:17", ("not valid UTF-8", "0xff"))]),
    Case("gen-50-megabytes", {}, [Expected(2, "runbooks.yaml:1:1", ("52,428,8", "bytes", "the limit is 20,971,520"))],
         prepare=_too_large, build=True),
    Case("gen-control-character", {INVENTORY: "version: 1\nservice:\n  name: Chéck\x01out\n".encode()},
         [Expected(2, "runbooks.yaml:3:14", ("character U+0001 is not allowed", "double-quoted string"))]),
    Case("gen-dev-zero", {}, [Expected(2, "/dev/zero:1:1", ("is a device", "not a regular file"))],
         args=["--inventory", "/dev/zero"], prepare=_needs("/dev/zero")),
    Case("gen-nested-too-deep", {}, [Expected(2, "runbooks.yaml:69:131", ("nested more than 64 levels",))],
         prepare=_deep),
    Case("gen-unreadable-file", {INVENTORY: GOOD},
         [Expected(2, "runbooks.yaml:1:1", ("cannot read file", "permission denied"))],
         prepare=_unreadable(INVENTORY), unprivileged=True),
    Case("gen-unreadable-included-file",
         {INVENTORY: GOOD + b"include: [teams/*.yaml]\n", "teams/payments.yaml": b"alerts: []\n"},
         [Expected(2, "teams/payments.yaml:1:1", ("cannot read file", "permission denied"))],
         prepare=_unreadable("teams/payments.yaml"), unprivileged=True, build=True),
]


# ---- running a case -----------------------------------------------------------------------------

def _unprivileged_prefix() -> list[str] | None:
    """How to run a command that cannot read a mode-000 file: as is for a normal user; as root, with
    setpriv dropping the two capabilities that let root read anything. None when neither works."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"runbookgen-probe-{os.getpid()}"
    probe.write_text("x")
    try:
        os.chmod(probe, 0)
        proc = subprocess.run(prefix + ["cat", str(probe)], capture_output=True)
        return prefix if proc.returncode != 0 else None
    finally:
        probe.unlink()


UNPRIVILEGED = _unprivileged_prefix()


def run_case(case: Case, folder: Path, cli, *command: str):
    for name, data in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if case.prepare:
        case.prepare(folder)
    if not case.unprivileged:
        return cli(*command, *case.args, cwd=folder)
    if UNPRIVILEGED is None:
        pytest.skip("running as root, where chmod 000 does not stop reading, and setpriv cannot drop the "
                    "capabilities that let root read it: an unreadable file cannot be made here")
    return run_runbookgen(*command, *case.args, cwd=folder, prefix=UNPRIVILEGED)


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run_runbookgen(*args: str, cwd: Path, prefix: list[str] = ()) -> Outcome:
    """Like conftest's ``cli`` fixture, usable where a fixture is not (module scope, a command prefix)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RUNBOOKGEN_DEBUG", None)
    proc = subprocess.run([*prefix, sys.executable, "-m", "runbookgen", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def assert_reports(case: Case, result) -> None:
    """Exit code, then each problem line: its exact file:line:col and its key words, in order."""
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    assert result.code == case.expected[0].code, result
    *lines, summary = result.err.rstrip("\n").split("\n")
    count = len(case.expected)
    assert summary == f"{count} problem{'s' if count != 1 else ''} found", result.err
    got = [_LINE.match(line) for line in lines]
    assert all(got), result.err
    assert [m["where"] for m in got] == [e.where for e in case.expected], result.err
    for match, expected in zip(got, case.expected):
        for word in expected.words:
            assert word in match["message"], f"{word!r} not in {match.group(0)!r}"
    assert result.out == ""


ALL_CASES = file_cases() + GENERATED


def _param(case: Case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


def test_corpus_is_large_enough():
    assert len(ALL_CASES) >= 50
    assert len({c.name for c in ALL_CASES}) == len(ALL_CASES)


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_validate_reports_every_problem(case, tmp_path, cli):
    result = run_case(case, tmp_path, cli, "validate")
    assert_reports(case, result)


# ---- a failed build leaves the previous site as it was ------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, and every folder, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """The minimal inventory built once; each case gets a copy of its site/."""
    folder = tmp_path_factory.mktemp("good")
    (folder / INVENTORY).write_bytes(GOOD)
    result = run_runbookgen("build", cwd=folder)
    assert result.code == 0, result
    site = folder / "site"
    assert (site / "index.html").is_file()
    return site


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES if c.build])
def test_failed_build_leaves_previous_site_unchanged(case, good_site, tmp_path, cli):
    shutil.copytree(good_site, tmp_path / "site")
    before = snapshot(tmp_path / "site")
    result = run_case(case, tmp_path, cli, "build")
    assert_reports(case, result)
    assert_unchanged(before, snapshot(tmp_path / "site"))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    assert leftovers == [], "staging folders left behind"


def assert_unchanged(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    assert sorted(after) == sorted(before), "files added to or removed from site/"
    changed = [name for name in before if after[name] != before[name]]
    assert changed == [], f"changed in site/: {changed}"


def test_broken_mkdocs_config_leaves_previous_site_unchanged(good_site, tmp_path, cli):
    """A build that fails later, in the site engine, keeps the old site too."""
    shutil.copytree(good_site, tmp_path / "site")
    before = snapshot(tmp_path / "site")
    (tmp_path / INVENTORY).write_bytes(GOOD)
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    result = cli("build", cwd=tmp_path)
    assert result.code == 2, result
    assert result.err.startswith("mkdocs.yml:"), result.err
    assert "Traceback" not in result.err
    assert_unchanged(before, snapshot(tmp_path / "site"))


def test_broken_mkdocs_config_is_one_problem_line_at_its_position(tmp_path, cli):
    (tmp_path / INVENTORY).write_bytes(GOOD)
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    result = cli("build", cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines()[-1] == "1 problem found"
    assert len(result.err.splitlines()) == 2, result.err
    assert result.err.startswith("mkdocs.yml:2:1: "), result.err


# ---- every mistake at once ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["90-five-schema-mistakes", "91-five-reference-mistakes"])
def test_every_mistake_is_reported_at_once_sorted_by_line(name, tmp_path, cli):
    case = parse_case(CASES_DIR / f"{name}.yaml")
    result = run_case(case, tmp_path, cli, "validate")
    assert_reports(case, result)
    lines = result.err.splitlines()[:-1]
    assert len(lines) == 5
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5


def test_duplicate_key_and_schema_errors_are_reported_together(tmp_path, cli):
    (tmp_path / INVENTORY).write_text("version: 1\nversion: 1\nservice:\n  name: x\n  sumary: y\n", encoding="utf-8")
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines()[:2] == [
        "runbooks.yaml:2:1: duplicate key 'version' (first defined at line 1); YAML would silently keep only the "
        "last one",
        "runbooks.yaml:5:3: service: unknown key 'sumary'",
    ]
