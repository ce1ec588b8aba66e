"""Jinja filters that place inventory and rule-file values into the generated pages.

On a site page (rendered inside ``opaque.collecting()``) no value reaches the
Markdown: each filter renders its value to sanitized HTML itself (``prose.py``)
and puts an opaque token in its place, which runbookgen's mkdocs plugin swaps
back once the page is HTML. So neither Markdown, nor any Markdown extension, nor
any mkdocs plugin of the user's ever reads inventory text. What each filter
means to a template:

- ``md``: prose with paragraphs, lists, links and code; ``md_inline``: prose on
  one line (headings, list items); ``md_cell``: the same in a table cell;
- ``fence``: a highlighted code block; ``code``: inline code;
- ``text``: plain text, shown as written; ``attr``: a value inside an HTML
  attribute; ``url``: an http(s) URL for a link target (anything else becomes
  ``#``), percent-encoded so that it cannot end the link or start anything.

A value placed with no filter at all (``{{ alert.name }}``) goes through
``finalize``: plain words, numbers and paths stay as they are (HTML-escaped),
anything else becomes an opaque text value too.

Outside a site page (the incident report, which is Markdown to download or
print), the filters write escaped Markdown instead, in time linear in the text.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

from markupsafe import Markup, escape

from runbookgen import durations
from runbookgen.content import opaque
from runbookgen.generate import prose
from runbookgen.generate.prose import safe_link_target  # noqa: F401 - part of this module's interface

_PLAIN = re.compile(r"[A-Za-z0-9 .,/#:%+=@~-]*")  # means nothing to Markdown or to any plugin we know of
_URL_KEEP = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]")


def md_text(value) -> Markup:
    """Author prose: CommonMark, raw HTML off, only safe links."""
    text = str(value or "")
    page = opaque.current()
    if page is None:
        return Markup(_markdown_prose(text))
    return Markup(page.add(opaque.BLOCK, prose.prose_block(text), prose.plain_text(text)))


def md_inline(value) -> Markup:
    """Prose on one line (headings, list items): newlines folded to spaces."""
    text = " ".join(str(value or "").split())
    page = opaque.current()
    if page is None:
        return Markup(_markdown_prose(text))
    return Markup(page.add(opaque.INLINE, prose.prose_inline(text), prose.plain_text(text)))


def md_cell(value) -> Markup:
    """Prose inside a Markdown table cell: one line."""
    if opaque.current() is None:
        return Markup(str(md_inline(value)).replace("|", "&#124;"))
    return md_inline(value)


def fence(code, language: str = "") -> Markup:
    """A code block that nothing inside it can end or escape."""
    code = str(code or "").rstrip("\n")
    page = opaque.current()
    if page is None:
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        ticks = "`" * max(3, longest + 1)
        return Markup(f"{ticks}{language}\n{code}\n{ticks}")
    return Markup(page.add(opaque.BLOCK, prose.code_block_html(code, language), prose.plain_text(code)))


def code_inline(value) -> Markup:
    """Inline code that survives backticks inside it."""
    text = " ".join(str(value or "").split())
    page = opaque.current()
    if page is None:
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        ticks = "`" * (longest + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return Markup(f"{ticks}{pad}{text}{pad}{ticks}")
    return Markup(page.add(opaque.INLINE, prose.code_inline_html(text), prose.plain_text(text)))


_MARKDOWN_SPECIALS = {c: f"&#{ord(c)};" for c in "|[]*_`\\{}<>&\"'"}


def _entities(text: str) -> str:
    return "".join(_MARKDOWN_SPECIALS.get(c, c) for c in text)


def attr(value) -> Markup:
    """A value for an HTML attribute, shown exactly as written."""
    text = str(value or "")
    page = opaque.current()
    if page is None:
        return Markup(_entities(text))
    return Markup(page.add(opaque.INLINE, prose.plain_text(text), prose.plain_text(text)))


def text(value) -> Markup:
    """Plain text that nothing interprets: in a table cell, a link's text, inline HTML."""
    folded = " ".join(str(value or "").split())
    page = opaque.current()
    if page is None:
        return Markup(_entities(folded))
    return Markup(page.add(opaque.INLINE, prose.plain_text(folded), prose.plain_text(folded)))


def url(value) -> Markup:
    """An http(s) URL for a link target, percent-encoded where Markdown or a plugin could read anything into it;
    anything else becomes '#'."""
    target = str(value or "")
    if not re.match(r"^https?://", target, re.IGNORECASE):
        return Markup("#")
    return Markup(_URL_KEEP.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), target))


def finalize(value):
    """Every ``{{ }}`` without a filter: plain words and paths as they are, anything else as an opaque text value."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    page = opaque.current()
    if page is None or (_PLAIN.fullmatch(value) and opaque.TOKEN_PREFIX not in value):
        return value
    return Markup(page.add(opaque.INLINE, prose.plain_text(value), prose.plain_text(value)))


def duration_words(value) -> str:
    """'15m' -> '15 minutes', '1h30m' -> '1 hour 30 minutes' (durations.py owns the reading)."""
    return durations.duration_words(str(value or ""))


def _markdown_prose(text: str) -> str:
    """Prose kept as Markdown for a file or a terminal: HTML and braces escaped, and link syntax disarmed when
    any link in it (as the most permissive reader would see it) leads anywhere but http(s), mailto or a path."""
    out = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
    if _has_unsafe_link(text):
        out = out.replace("[", "\\[").replace("]", "\\]")
    return out


_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|livescript|data|file):", re.IGNORECASE)


def _has_unsafe_link(text: str) -> bool:
    if "[" not in text:
        return False
    if _SCRIPT_SCHEME.search(prose.squeezed(text)):  # whatever another Markdown reader makes of the rest
        return True
    for token in _permissive_parser().parse(text):  # a block parse: reference definitions are blocks
        for child in token.children or ():
            if child.type == "link_open" and not prose.safe_link_target(html.unescape(str(child.attrGet("href")))):
                return True
    return False


@cache
def _permissive_parser():
    """CommonMark that takes every link target for a link, as the least careful Markdown reader would."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda _url: True
    md.normalizeLink = lambda url: url
    return md


def front_matter_title(value) -> Markup:
    """A page title in the page's front matter: one line, HTML-escaped (the theme writes titles as HTML), as a
    double-quoted YAML string (JSON's escapes are YAML's), so no text can end or extend the front matter."""
    folded = " ".join(str(value or "").split())
    return Markup(json.dumps(str(escape(folded))))


FILTERS = {
    "front_matter_title": front_matter_title, "md": md_text, "md_inline": md_inline, "md_cell": md_cell, "fence": fence, "code": code_inline,
    "attr": attr, "text": text, "url": url, "duration_words": duration_words,
}
