"""Go's ``strconv.Unquote``, which Prometheus's and Loki's lexers both apply to a quoted string.

Each lexer words a bad escape its own way (as its upstream does), so ``unquote_body`` only says which
kind of escape is wrong and where (``BadEscape``).
"""

from __future__ import annotations

ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_DIGITS = {8: "01234567", 16: "0123456789abcdefABCDEF"}
_SIZES = {"x": 2, "u": 4, "U": 8}


class BadEscape(Exception):
    """``kind`` is "code point" (well-formed, but not a character), "digits" (\\x, \\u, \\U or octal with
    wrong digits: ``digits``) or "unknown" (no such escape; ``escape`` is "" for a backslash at the end).
    ``index`` is the backslash's 0-based index in the body."""

    def __init__(self, kind: str, index: int, escape: str, digits: str = ""):
        super().__init__(kind)
        self.kind, self.index, self.escape, self.digits = kind, index, escape, digits


def unquote_body(body: str, quote: str) -> str:
    """The text of a string literal whose content between the quotes is ``body``; BadEscape for a bad escape."""
    if "\\" not in body:  # nothing to unescape: most label values
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        esc = body[i + 1:i + 2]
        if esc in ESCAPES or (esc and esc == quote):
            out.append(ESCAPES.get(esc, esc))
            i += 2
            continue
        if not esc or esc not in "xuU01234567":
            raise BadEscape("unknown", i, esc)
        hexadecimal = esc in "xuU"
        size = _SIZES.get(esc, 3)
        digits = body[i + 2:i + 2 + size] if hexadecimal else body[i + 1:i + 4]
        if len(digits) != size or not all(c in _DIGITS[16 if hexadecimal else 8] for c in digits):
            raise BadEscape("digits", i, esc, digits)
        value = int(digits, 16 if hexadecimal else 8)
        if value > (0x10FFFF if esc in "uU" else 255) or 0xD800 <= value <= 0xDFFF:
            raise BadEscape("code point", i, esc, digits)
        out.append(chr(value))
        i += 2 + size if hexadecimal else 4
    return "".join(out)
