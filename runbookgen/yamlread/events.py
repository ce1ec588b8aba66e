"""The one event source (libyaml, or PyYAML's pure-Python parser) and the one YAML error type.

Every reader of this package asks ``parser(text)`` for its events and turns whatever the parser
raises into a ``YamlError`` with ``reading_error``: one wording for syntax errors (with where an
unclosed quote or bracket began, and tabs named as such) and for characters YAML does not allow.
"""

from __future__ import annotations

import yaml

from runbookgen.problems import InputError, Position, Problem, line_col

try:  # libyaml's parser is several times faster; fall back when PyYAML was built without it
    from yaml import CSafeLoader as Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Parser  # type: ignore[assignment]


class YamlError(InputError):
    """A text that cannot be read as YAML: one problem, at its place (line and column from 1)."""

    def __init__(self, problem: Problem, reason: str):
        super().__init__([problem])
        self.problem, self.reason = problem, reason  # reason: the message without its "YAML ... error:" prefix

    @property
    def position(self) -> Position:
        return self.problem.pos


def parser(text: str, file: str):
    """A parser of ``text``; call ``dispose()`` when done. Raises YamlError on a character YAML refuses."""
    try:
        return Parser(text)  # the pure-Python reader checks characters here already
    except yaml.YAMLError as err:
        raise reading_error(err, text, file) from None


def refused(file: str, line: int, col: int, reason: str) -> YamlError:
    """A YamlError for what the readers refuse (an alias bomb, a recursive alias, too deep a nesting)."""
    return YamlError(Problem(Position(file, line, col), f"YAML syntax error: {reason}"), reason)


def reading_error(err: yaml.YAMLError, text: str, file: str) -> YamlError:
    """What the parser raised, as a YamlError at its place in ``file``."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        reason = _syntax_message(err, text)
        return refused(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, reason)
    if isinstance(err, yaml.reader.ReaderError):  # a control character; it carries an offset, not a mark
        at = err.position
        if Parser is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes here, not characters
            at = len(text.encode("utf-8", "surrogatepass")[:at].decode("utf-8", "ignore"))
        at = max(0, min(at, len(text)))
        line, col = line_col(text, at)
        char = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        reason = (f"character {char} is not allowed in YAML ({err.reason}); remove it or write it as an escape "
                  "in a double-quoted string")
        return YamlError(Problem(Position(file, line, col), f"YAML error: {reason}"), reason)
    reason = " ".join(str(err).split()) or "invalid YAML"
    return YamlError(Problem(Position(file, 1, 1), f"YAML error: {reason}"), reason)


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
