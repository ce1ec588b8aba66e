"""The inventory's view of a YAML file: typed data, a position for every path, and the problems found.

Built by the one value builder (``values``, typed). ``load_documents`` reads every document of a file;
``load_document`` one that must hold a single non-empty document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runbookgen.digests import text_digest
from runbookgen.problems import InputError, Position, Problem
from runbookgen.yamlread.events import YamlError
from runbookgen.yamlread.files import read_text
from runbookgen.yamlread.build import documents

Path = tuple  # a path into the data: keys (str) and list indexes (int)


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


def load_documents(path: str, *, display: str | None = None, text: str | None = None,
                   keep_going: bool = False) -> list[YamlDocument]:
    """Load every document of a YAML file; raise InputError with all problems found.

    With ``keep_going``, problems that still leave usable data (a duplicate key, an unsupported tag)
    are kept on each document's ``problems`` instead, so later stages can report theirs too.
    """
    shown = display or path
    if text is None:
        text = read_text(path, display=shown)
    digest = text_digest(text)
    found: list[YamlDocument] = []
    fatal: list[Problem] = []
    try:
        for doc in documents(text, shown, typed=True):
            found.append(YamlDocument(shown, doc.data, doc.positions, doc.key_positions, doc.problems, digest,
                                      text=text))
    except YamlError as err:
        fatal.append(err.problem)
    recoverable = [p for doc in found for p in doc.problems]
    if fatal or (recoverable and not keep_going):
        raise InputError(fatal + recoverable)
    return found


def load_document(path: str, *, display: str | None = None, keep_going: bool = False) -> YamlDocument:
    """Load a file that must hold exactly one YAML document (an empty file is an error)."""
    shown = display or path
    documents_read = load_documents(path, display=shown, keep_going=keep_going)
    if not documents_read or documents_read[0].data is None:
        raise InputError([Problem(Position(shown, 1, 1), "file is empty: expected a YAML mapping")])
    if len(documents_read) > 1:
        second = documents_read[1].positions.get((), Position(shown, 1, 1))
        raise InputError([Problem(second, "expected a single YAML document, found another one here")])
    return documents_read[0]
