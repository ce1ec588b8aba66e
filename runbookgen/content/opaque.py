"""Inventory text as opaque values: a page's Markdown holds a token where a value goes, never the value.

While a page renders, the template filters (``filters.py``) register each
inventory or rule-file value here, already rendered to sanitized HTML, and put
a token in the Markdown: a short run of letters and digits that no Markdown
extension or mkdocs plugin (macros' ``{{ }}``, snippets' ``--8<--``, attribute
lists, ...) gives any meaning to. The values travel with the page, at its end,
base64-encoded (equally meaningless to every plugin); runbookgen's own mkdocs
plugin (``site/contentguard.py``) takes them off before any other plugin sees
the Markdown and puts them in place of their tokens once the page is HTML.

Each value is kept as HTML (where the token stands in text) and as escaped
plain text (where it stands inside an attribute, a title or the table of
contents).
"""

from __future__ import annotations

import base64
import contextvars
import json
import re
from dataclasses import dataclass, field

from runbookgen.problems import Position

TOKEN_PREFIX = "rbgval"
TOKEN = re.compile(TOKEN_PREFIX + r"([0-9]{1,7})z")
PAYLOAD_START = "\n<!-- runbookgen-values "
PAYLOAD_END = " -->\n"
BLOCK, INLINE = "block", "inline"
HTML_TAG = r"<[A-Za-z!/?][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>"
"""An HTML tag, attribute values quoted or not (as Python-Markdown and templates write them)."""
_TAG_OR_TOKEN = re.compile(rf"(?P<tag>{HTML_TAG})|{TOKEN_PREFIX}(?P<index>[0-9]+)z")
_MARKDOWN_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "`*_{}[]\\|!~"}


@dataclass(frozen=True)
class Value:
    kind: str  # BLOCK (replaces the paragraph it stands alone in) or INLINE
    html: str
    text: str  # escaped plain text


@dataclass
class PageValues:
    """The values one page holds, in the order they were placed."""

    values: list[Value] = field(default_factory=list)
    where: dict[str, Position] = field(default_factory=dict)  # text -> where the inventory says it

    def add(self, kind: str, html: str, text: str) -> str:
        self.values.append(Value(kind, html, text))
        return f"{TOKEN_PREFIX}{len(self.values) - 1}z"

    def attach(self, markdown: str) -> str:
        """The page's Markdown with its values appended (nothing when it holds none)."""
        if not self.values:
            return markdown
        data = json.dumps([[v.kind, v.html, v.text] for v in self.values], ensure_ascii=True, separators=(",", ":"))
        return markdown + PAYLOAD_START + base64.b64encode(data.encode("ascii")).decode("ascii") + PAYLOAD_END


def detach(markdown: str) -> tuple[str, list[Value]]:
    """(the Markdown without its values, the values); a page runbookgen did not write has none."""
    start = markdown.rfind(PAYLOAD_START)
    if start < 0 or not markdown.endswith(PAYLOAD_END):
        return markdown, []
    encoded = markdown[start + len(PAYLOAD_START): -len(PAYLOAD_END)]
    try:
        rows = json.loads(base64.b64decode(encoded, validate=True))
    except ValueError:
        return markdown, []
    return markdown[:start] + "\n", [Value(*row) for row in rows]


_current: contextvars.ContextVar[PageValues | None] = contextvars.ContextVar("runbookgen_page_values", default=None)


def current() -> PageValues | None:
    """The values of the page being rendered; None outside a page (an incident report is plain Markdown)."""
    return _current.get()


class collecting:
    """``with collecting() as values:`` renders one page, its filters registering into ``values``."""

    def __init__(self, where: dict[str, Position] | None = None):
        self.values = PageValues(where=where or {})
        self._token = None

    def __enter__(self) -> PageValues:
        self._token = _current.set(self.values)
        return self.values

    def __exit__(self, *exc) -> bool:
        _current.reset(self._token)
        return False


def inline_values(markdown: str) -> str:
    """The page's Markdown with each value written in place as HTML that Markdown and its plugins leave alone
    (one line, Markdown's punctuation as character references): what ``--docs-dir`` exports."""
    markdown, values = detach(markdown)
    if not values:
        return markdown

    def inert(fragment: str) -> str:
        return fragment.translate(_MARKDOWN_PUNCTUATION).replace("\n", "&#10;")

    def one(match: re.Match) -> str:
        if match.group("tag") is not None:
            return TOKEN.sub(lambda m: inert(values[int(m.group(1))].text) if int(m.group(1)) < len(values)
                             else m.group(0), match.group("tag"))
        index = int(match.group("index"))
        return inert(values[index].html) if index < len(values) else match.group(0)

    return _TAG_OR_TOKEN.sub(one, markdown)
