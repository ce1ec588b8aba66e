"""Inventory and rule-file text rendered to HTML by runbookgen itself, never by the site's Markdown.

Prose is CommonMark (markdown-it-py) with raw HTML off and images off (an image
would make every reader's browser fetch an address from the inventory); a link
survives only when its target is http(s), mailto, an ``#anchor`` or a path
inside the site. The HTML is then cleaned by an allow-list sanitizer (nh3), so
whatever the parser lets through, only the tags and attributes listed here
reach a page. Code is highlighted here too, in the HTML structure
pymdownx.highlight writes (so the theme's copy button and styles apply), with
one span per run of one colour (``highlight.py``).

Every function is linear in its input: markdown-it-py, nh3 and Pygments' lexers
for the languages used here do not backtrack over the text.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

import nh3

from runbookgen.content.links import SAFE_SCHEMES, link_scheme, safe_link_target, site_path, squeezed  # noqa: F401

ALLOWED_TAGS = frozenset({
    "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
    "p", "pre", "s", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}, "div": {"class"},
                      "span": {"class"}, "pre": {"class"}}
_LANGUAGE = re.compile(r"[^a-z0-9_+-]")

RENDERED = 1 << 16
"""Texts whose HTML is kept: a process that builds again (``serve``) renders only the texts that changed."""


@cache
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False,
                                   "highlight": _highlight_fence})
    md.enable(["table", "strikethrough"])  # GitHub's two extensions authors reach for in runbooks
    md.disable("image")
    md.validateLink = safe_link_target
    return md


def _highlight_fence(code: str, lang: str, _attrs: str) -> str:
    return code_block_html(code, lang.split()[0] if lang.split() else "")


# Text with none of these is one paragraph of plain words to CommonMark: rendered without the parser
_PLAIN_PROSE = re.compile(r"[^\n\r\x00\u00a0\\`*_\[\]<>&!~|#{}:=+\-.0-9]*")


@lru_cache(maxsize=RENDERED)
def prose_block(text: str) -> str:
    """Prose with paragraphs, lists and code blocks, as sanitized HTML."""
    text = str(text or "")
    if text and text == text.strip() and _PLAIN_PROSE.fullmatch(text):  # one line, no indented code block
        return f"<p>{_escape_text(text)}</p>\n"
    return clean(_parser().render(text))


@lru_cache(maxsize=RENDERED)
def prose_inline(text: str) -> str:
    """Prose on one line (a heading, a list item, a table cell) as sanitized inline HTML."""
    text = " ".join(str(text or "").split())
    if _PLAIN_PROSE.fullmatch(text):
        return _escape_text(text)
    return clean(_parser().renderInline(text))


def _escape_text(text: str) -> str:
    """As markdown-it and then nh3 write plain words: as they are (no &, < or > in them)."""
    return text


def clean(fragment: str) -> str:
    """The allow-list sanitizer: only ALLOWED_TAGS and ALLOWED_ATTRIBUTES, links only to safe targets."""
    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(SAFE_SCHEMES), strip_comments=True, link_rel=None)


def plain_text(text: str) -> str:
    """Text shown as it is written, HTML-escaped (for attributes, titles and the table of contents)."""
    return html.escape(str(text or ""), quote=True)


@lru_cache(maxsize=RENDERED)
def code_block_html(code: str, language: str = "") -> str:
    """A highlighted block in the structure pymdownx.highlight (pygments_lang_class) writes."""
    language = _LANGUAGE.sub("", (language or "text").lower()) or "text"
    body, base = _highlight(str(code or "").rstrip("\n") + "\n", language)
    code_tag = f'<code class="{base}">' if base else "<code>"
    return f'<div class="language-{language} highlight"><pre>{code_tag}{body}</code></pre></div>'


def code_inline_html(code: str) -> str:
    return f"<code>{html.escape(' '.join(str(code or '').split()), quote=False)}</code>"


def _highlight(code: str, language: str) -> tuple[str, str]:
    from runbookgen.generate.highlight import highlighted

    return highlighted(_lexer(language).get_tokens(code), language)


@cache
def _lexer(language: str):
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)
