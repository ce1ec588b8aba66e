"""Read YAML while keeping the file, line and column of every key and value.

PyYAML's own constructors drop positions and silently keep the last of two
duplicate keys. Here the C (or pure Python) composer builds the node graph and a
small constructor of ours turns it into plain Python values, recording a
``Position`` for every path and reporting duplicate keys, unsupported tags and
alias bombs as ``Problem`` values instead of exceptions.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

import yaml

from runbookgen.digests import text_digest
from runbookgen.gcpause import cycle_collector_paused
from runbookgen.problems import InputError, Position, Problem

try:  # libyaml's composer is several times faster; fall back when it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 1_000_000  # values constructed per file, aliases counted every time they expand
MAX_DEPTH = 64

Path = tuple  # a path into the data: keys (str) and list indexes (int)

_STR = "tag:yaml.org,2002:str"
_SCALARS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
}
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_scalar_constructor = yaml.constructor.SafeConstructor()


@dataclass
class YamlDocument:
    """One YAML document as plain data, with where each piece of it came from."""

    file: str
    data: object
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    # problems that still left usable data (duplicate keys, unsupported tags), when loaded with keep_going
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""  # text_digest of the text the document was read from (decoded, without a BOM)
    # an inventory's root document only: every file the loader read (path -> digest), every include glob
    sources: dict[str, str] = field(default_factory=dict)
    globs: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    text: str = field(default="", repr=False)  # the file's text, to follow a scalar's layout (scalar_layout)

    def where(self, path: Path, *, key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Position(self.file, 1, 1))


def scalar_layout(text: str, pos: Position) -> tuple:
    """How a position inside the string scalar that starts at ``pos`` maps back to the file: ("|", line of
    the indicator, indentation) for a literal block, ("", line, column of the first character) for a
    scalar on one line; () where escapes or folding make the mapping unknown."""
    return scalar_layout_in(text.split("\n"), pos)


def scalar_layout_in(lines: list[str], pos: Position, style: str = "") -> tuple:
    """``scalar_layout`` on the text already split at newlines: a caller with many scalars splits it once
    (splitting per scalar made loading a large inventory quadratic in its size). ``style`` is the
    scalar's block style ("|" or ">") when the caller knows it from the parser (a tag or an anchor may
    stand before the indicator), "" to read it from the text."""
    if pos.line > len(lines):
        return ()
    line = lines[pos.line - 1]
    first = line[pos.col - 1:pos.col]
    if style == "|" or (not style and first == "|"):
        body = next_text_line(lines, pos.line)
        return ("|", pos.line, len(body) - len(body.lstrip(" ")))
    if style or first == ">" or (first == '"' and "\\" in line) or (first == "'" and "''" in line):
        return ()
    return ("", pos.line, pos.col + (first in "\"'"))


def next_text_line(lines: list[str], start: int) -> str:
    """The first line from index ``start`` on that is not blank; "" when there is none (no copy of the rest)."""
    for index in range(start, len(lines)):
        if lines[index].strip():
            return lines[index]
    return ""


def position_in_scalar(layout: tuple, start: Position, line: int, col: int) -> Position:
    """The file position of ``line``:``col`` (1-based) inside a scalar laid out as ``layout`` says."""
    if not layout:
        return start
    style, first, offset = layout
    if style == "|":
        return Position(start.file, first + line, offset + col)
    if line == 1:
        return Position(start.file, first, offset + col - 1)
    return start


def position_of(file: str, mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def source_digest(path: str) -> str | None:
    """The digest a document read from ``path`` now would have; None when it cannot be read."""
    try:
        return text_digest(read_text(path))
    except InputError:
        return None


def _read_regular_file(path: str, where: Position) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them.

    Opened without blocking and checked after opening (no gap between a check and the open): a FIFO
    would wait for a writer forever, and a device (/dev/zero, /dev/tty) has no end or waits for input.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError([Problem(where, "is a directory, not a YAML file")])
        if not stat.S_ISREG(info.st_mode):
            kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else (
                "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
            raise InputError([Problem(where, f"is {kind}, not a regular file; runbookgen reads only regular files")])
        if info.st_size > MAX_FILE_BYTES:
            raise InputError([Problem(where, f"file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")])
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:  # bounded: a file growing while it is read reports no true size
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str, *, display: str | None = None) -> str:
    """Read a UTF-8 text file, turning every way this can fail into a Problem."""
    shown = display or path
    where = Position(shown, 1, 1)
    try:
        raw = _read_regular_file(path, where)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError([Problem(where, f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")])
    except FileNotFoundError:
        raise InputError([Problem(where, "file not found")]) from None
    except PermissionError:
        raise InputError([Problem(where, "cannot read file: permission denied")]) from None
    except OSError as err:
        raise InputError([Problem(where, f"cannot read file: {err.strerror or err}")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # what some Windows editors save; NUL bytes follow
        raise InputError([Problem(where, "file is encoded as UTF-16 (byte order mark); save it as UTF-8")])
    if b"\x00" in raw:
        before = raw[: raw.index(b"\x00")]
        line, col = before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError([Problem(Position(shown, line, col), "binary data (NUL byte): not a YAML text file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError([Problem(Position(shown, line, col), f"not valid UTF-8 (byte 0x{raw[err.start]:02x})")]) from None
    return text.removeprefix("\ufeff")


def load_documents(path: str, *, display: str | None = None, text: str | None = None,
                   keep_going: bool = False) -> list[YamlDocument]:
    """Load every document of a YAML file; raise InputError with all problems found.

    With ``keep_going``, problems that still leave usable data (a duplicate key, an unsupported tag)
    are kept on each document's ``problems`` instead, so later stages can report theirs too.
    """
    with cycle_collector_paused():
        return _load_documents(path, display, text, keep_going)


def _load_documents(path: str, display: str | None, text: str | None, keep_going: bool) -> list[YamlDocument]:
    shown = display or path
    if text is None:
        text = read_text(path, display=shown)
    digest = text_digest(text)
    loader = None
    documents: list[YamlDocument] = []
    problems: list[Problem] = []
    try:
        loader = _Loader(text)  # the pure-Python reader checks characters here already
        while loader.check_node():
            node = loader.get_node()
            builder = _Builder(shown)
            data = builder.build(node, ())
            problems.extend(builder.fatal)
            documents.append(YamlDocument(shown, data, builder.positions, builder.key_positions,
                                          list(builder.problems), digest, text=text))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        pos = position_of(shown, mark) if mark else Position(shown, 1, 1)
        problems.append(Problem(pos, f"YAML syntax error: {_syntax_message(err, text)}"))
    except yaml.reader.ReaderError as err:  # a control character; it carries an offset, not a mark
        at = err.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes here, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        at = max(0, min(at, len(text)))
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        char = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        problems.append(Problem(Position(shown, line, col), f"YAML error: character {char} is not allowed in YAML "
                                                            f"({err.reason}); remove it or write it as an escape "
                                                            "in a double-quoted string"))
    except yaml.YAMLError as err:
        problems.append(Problem(Position(shown, 1, 1), "YAML error: " + " ".join(str(err).split())))
    except RecursionError:
        problems.append(Problem(Position(shown, 1, 1), "YAML nesting is too deep"))
    finally:
        if loader is not None:
            loader.dispose()
    recoverable = [p for doc in documents for p in doc.problems]
    if problems or (recoverable and not keep_going):
        raise InputError(problems + recoverable)
    return documents


def _syntax_message(err: yaml.MarkedYAMLError, text: str) -> str:
    """libyaml's words, plus what an author needs: where an unclosed quote or bracket began; tabs named as such."""
    mark, start = err.problem_mark, err.context_mark
    problem = err.problem or err.context or "invalid YAML"
    if mark and "cannot start any token" in problem and text[mark.index: mark.index + 1] == "\t":
        return "found a tab character; YAML must be indented with spaces, not tabs"
    if not (err.context and err.problem):
        return problem
    if start and mark and (start.line, start.column) != (mark.line, mark.column):
        return f"{problem} ({err.context} that started at line {start.line + 1}, column {start.column + 1})"
    return f"{problem} ({err.context})"


def load_document(path: str, *, display: str | None = None, keep_going: bool = False) -> YamlDocument:
    """Load a file that must hold exactly one YAML document (an empty file is an error)."""
    shown = display or path
    documents = load_documents(path, display=shown, keep_going=keep_going)
    if not documents or documents[0].data is None:
        raise InputError([Problem(Position(shown, 1, 1), "file is empty: expected a YAML mapping")])
    if len(documents) > 1:
        second = documents[1].positions.get((), Position(shown, 1, 1))
        raise InputError([Problem(second, "expected a single YAML document, found another one here")])
    return documents[0]


class _TooBig(Exception):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.mark = mark


class _Builder:
    """Turn a composed node graph into plain values, recording positions."""

    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self.problems: list[Problem] = []
        self.fatal: list[Problem] = []
        self.count = 0

    def build(self, node, path: Path):
        try:
            return self._value(node, path, 0)
        except _TooBig as err:  # nothing usable is left: a fatal problem, not a recoverable one
            self.fatal.append(Problem(position_of(self.file, err.mark or node.start_mark), str(err)))
            return None

    def _value(self, node, path: Path, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(f"document expands to more than {MAX_NODES:,} values (alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooBig(f"document is nested more than {MAX_DEPTH} levels deep", node.start_mark)
        mark = node.start_mark
        self.positions[path] = Position(self.file, mark.line + 1, mark.column + 1)
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, _MAP)
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ)
            return [self._value(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _check_tag(self, node, plain: str) -> None:
        """``!Ref {...}`` or ``!!python/object [...]`` would be read as plain data; say it is not supported."""
        if node.tag != plain:
            self.problems.append(Problem(position_of(self.file, node.start_mark), f"unsupported YAML tag {node.tag!r}"))

    def _scalar(self, node):
        method = _SCALARS.get(node.tag)
        if method:
            try:
                return getattr(_scalar_constructor, method)(node)
            except (ValueError, IndexError, KeyError, yaml.YAMLError):  # !!int "", !!bool maybe: keep the text
                return node.value
        if node.tag != _STR and not node.tag.startswith("tag:yaml.org,2002:timestamp"):
            if node.tag.startswith("!") or not node.tag.startswith("tag:yaml.org,2002:"):
                self.problems.append(
                    Problem(position_of(self.file, node.start_mark), f"unsupported YAML tag {node.tag!r}")
                )
        # timestamps stay strings: the schema checks dates, and output shows them as written
        return node.value

    def _mapping(self, node, path: Path, depth: int) -> dict:
        result: dict = {}
        seen: dict = {}
        merged: list = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.append(value_node)
                continue
            if key_node.__class__ is not yaml.ScalarNode:
                self.problems.append(
                    Problem(position_of(self.file, key_node.start_mark), "mapping keys must be plain scalars")
                )
                continue
            if key_node.tag != _STR:
                self._scalar(key_node)  # reports an unsupported tag
            key = key_node.value  # `1:` or `on:` stays the text as written
            mark = key_node.start_mark
            key_pos = Position(self.file, mark.line + 1, mark.column + 1)
            if key in seen:
                first = seen[key]
                self.problems.append(
                    Problem(key_pos, f"duplicate key {key!r} (first defined at line {first.line}); "
                                     "YAML would silently keep only the last one")
                )
                continue
            seen[key] = key_pos
            self.key_positions[path + (key,)] = key_pos
            result[key] = self._value(value_node, path + (key,), depth + 1)
        for source in merged:
            sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
            for item in sources:
                if not isinstance(item, yaml.MappingNode):
                    self.problems.append(
                        Problem(position_of(self.file, item.start_mark), "'<<' merges only mappings")
                    )
                    continue
                self._merge(item, result, path, depth + 1)
        return result

    def _merge(self, node, result: dict, path: Path, depth: int) -> None:
        """Add the keys of a ``<<`` source that ``result`` lacks, with their positions.

        The source is built with positions relative to itself, in tables of its own, so that the
        work stays proportional to its size: copying by scanning the whole table made a few
        kilobytes of ``<<: *anchor`` lines take minutes.
        """
        outer = self.positions, self.key_positions
        self.positions, self.key_positions = {}, {}
        try:
            extra = self._mapping(node, (), depth)
            inner = self.positions, self.key_positions
        finally:
            self.positions, self.key_positions = outer
        taken = {key for key in extra if key not in result}
        for key in extra:
            if key in taken:
                result[key] = extra[key]
        for source, target in zip(inner, outer):
            for p, pos in source.items():
                if p and p[0] in taken:
                    target[path + p] = pos
