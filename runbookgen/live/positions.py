"""file:line:col of a place inside an expression written in YAML.

Rules know how their ``expr`` was laid out (``Rule.position_in_expr``). For an
inventory query only the start of its value is known; ``InventoryText`` looks at
the source line there to see how it was written (literal block, one plain or quoted
line) and keeps a mapped position only when the file's text there is the expression's
text, so a folded or escaped value falls back to the start of the value.
"""

from __future__ import annotations

from runbookgen.problems import Position

_PROBE = 12  # characters compared between the file and the expression


class InventoryText:
    """The lines of the inventory's files, read once each, for mapping positions."""

    def __init__(self):
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, file: str) -> list[str] | None:
        if file not in self._lines:
            try:
                with open(file, encoding="utf-8") as handle:
                    self._lines[file] = handle.read().split("\n")
            except (OSError, UnicodeDecodeError):
                self._lines[file] = None
        return self._lines[file]

    def position_in(self, value: Position, expr: str, line: int, col: int) -> Position:
        """The file position of ``line``:``col`` (1-based) of ``expr``, whose value starts at ``value``."""
        lines = self.lines(value.file)
        if not lines or value.line > len(lines):
            return value
        head = lines[value.line - 1][value.col - 1:]
        expr_lines = expr.split("\n")
        if line > len(expr_lines):
            return value
        wanted = expr_lines[line - 1][col - 1:col - 1 + _PROBE]
        if head[:1] in ("|", ">"):
            if head[:1] == ">":
                return value  # folded: line breaks moved
            at = value.line + line  # the block's first line follows the indicator line
            body = next((ln for ln in lines[value.line:] if ln.strip()), "")
            candidate = Position(value.file, at, len(body) - len(body.lstrip(" ")) + col)
        elif line == 1:
            shift = 1 if head[:1] in ("'", '"') else 0
            candidate = Position(value.file, value.line, value.col + shift + col - 1)
        else:
            return value
        if candidate.line > len(lines):
            return value
        found = lines[candidate.line - 1][candidate.col - 1:candidate.col - 1 + len(wanted)]
        return candidate if found == wanted else value
