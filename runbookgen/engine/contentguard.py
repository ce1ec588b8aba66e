"""runbookgen's own mkdocs plugin: inventory values go in after Markdown, and every page is checked.

- ``on_page_markdown`` (first of all plugins): takes the page's opaque values
  off its Markdown (``generate/opaque.py``), so no other plugin or extension
  ever reads them;
- ``on_page_content`` (first, before search indexes the page): puts each value
  in place of its token, as HTML in text and as escaped text inside attributes,
  gives headings made of values their own anchors, and resolves prose links
  (paths from the site root) to the page's relative addresses;
- ``on_post_page`` / ``on_post_template`` (last): adds a Content-Security-Policy
  that allows only the theme's own scripts (by hash) and files of the site, and
  refuses the page if it holds anything that could run script (``html_safety``).

Problems fail the build with ``UnsafeOutput``, whose message is one
``where: what`` line per problem.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from runbookgen.content import opaque
from runbookgen.content.html_safety import unsafe_markup
from runbookgen.content.links import site_path
from runbookgen.engine.compact import compact_html

MARKER = "runbookgen content check"
_TAG = opaque.HTML_TAG
_SWAP = re.compile(rf"(?P<para><p>{opaque.TOKEN_PREFIX}(?P<pi>[0-9]+)z</p>)|(?P<tag>{_TAG})|"
                   rf"{opaque.TOKEN_PREFIX}(?P<ti>[0-9]+)z")
_IN_TAG = re.compile(rf"(?P<attr>\s(?:id|href)=\")(?P<hash>#?)(?P<ref>[^\"]*{opaque.TOKEN_PREFIX}[0-9]+z[^\"]*)\""
                     rf"|{opaque.TOKEN_PREFIX}(?P<i>[0-9]+)z")
_IDS = re.compile(rf"\sid=\"([^\"]*{opaque.TOKEN_PREFIX}[0-9]+z[^\"]*)\"")
_ANY_ID = re.compile(r"\sid=\"([^\"]*)\"")
_HREF = re.compile(r'<a href="([^"]*)"')
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>(?:\s*<meta charset=[^>]*>)?", re.IGNORECASE)


class UnsafeOutput(PluginError):
    """The site's own output failed its checks."""

    def __init__(self, problems: list[str]):
        super().__init__(MARKER + ":\n" + "\n".join(problems))
        self.problems = problems


def problems_of(message: str) -> list[str] | None:
    """The problem lines of UnsafeOutput messages (also several, joined by "; ", as worker processes send them)."""
    parts = message.split(MARKER + ":\n")
    if len(parts) < 2:
        return None
    lines = [line.removesuffix("; ") for part in parts[1:] for line in part.split("\n")]
    return [line for line in lines if line]


class ContentGuard(BasePlugin):
    def __init__(self):
        super().__init__()
        self._values: dict[str, list[opaque.Value]] = {}

    @event_priority(100)
    def on_page_markdown(self, markdown, *, page, config, files):
        markdown, values = opaque.detach(markdown)
        self._values[page.file.src_uri] = values
        return markdown

    @event_priority(100)
    def on_page_content(self, html_text, *, page, config, files):
        values = self._values.pop(page.file.src_uri, [])
        problems: list[str] = []
        html_text = swap_values(html_text, values, page, files, problems)
        for what in unsafe_markup(html_text):
            problems.append(f"{page.file.src_uri}: the page's Markdown (its template) puts active content on the "
                            f"page: {what}")
        if problems:
            raise UnsafeOutput(problems)
        return html_text

    @event_priority(-200)
    def on_post_page(self, output, *, page, config):
        return _protect(compact_html(output), page.file.src_uri)

    @event_priority(-200)
    def on_post_template(self, output_content, *, template_name, config):
        if not template_name.endswith(".html"):
            return output_content
        return _protect(compact_html(output_content), template_name)


def swap_values(text: str, values: list[opaque.Value], page, files, problems: list[str]) -> str:
    """The page's HTML with every value in place of its token."""
    if not values:
        return text
    taken = set(_ANY_ID.findall(text))
    ids = {}
    for old in dict.fromkeys(_IDS.findall(text)):
        ids[old] = _unique(_slug(_tokens_to_text(old, values)), taken)

    def value_html(index: int) -> str:
        return _resolve_links(values[index].html, page, files, problems)

    def one(match: re.Match) -> str:
        if match.group("para") is not None:
            index = int(match.group("pi"))
            if index < len(values):
                value = values[index]
                return value_html(index) if value.kind == opaque.BLOCK else f"<p>{value_html(index)}</p>"
            return match.group(0)
        if match.group("tag") is not None:
            return _IN_TAG.sub(lambda m: _in_tag(m, values, ids), match.group("tag"))
        index = int(match.group("ti"))
        return value_html(index) if index < len(values) else match.group(0)

    text = _SWAP.sub(one, text)
    _fix_toc(page.toc, values, ids)
    return text


def _in_tag(match: re.Match, values, ids) -> str:
    if match.group("attr") is not None:
        ref = match.group("ref")
        new = ids.get(ref) if ref in ids else html.escape(_tokens_to_text(ref, values), quote=True)
        return f'{match.group("attr")}{match.group("hash")}{new}"'
    index = int(match.group("i"))
    return values[index].text if index < len(values) else match.group(0)


def _tokens_to_text(text: str, values) -> str:
    """``text`` with each token replaced by the text its value shows (unescaped)."""
    return opaque.TOKEN.sub(lambda m: html.unescape(_shown(values[int(m.group(1))])) if int(m.group(1)) < len(values)
                            else m.group(0), text)


def _shown(value: opaque.Value) -> str:
    """What a reader sees of a value, as escaped text: its HTML without the tags."""
    return re.sub(r"<[^>]*>", "", value.html).strip()


def _slug(text: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(text, "-") or "section"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 0
    while candidate in taken:
        n += 1
        candidate = f"{slug}_{n}"
    taken.add(candidate)
    return candidate


def _fix_toc(items, values, ids) -> None:
    for item in items or ():
        if opaque.TOKEN_PREFIX in item.title:
            item.title = opaque.TOKEN.sub(lambda m: _shown(values[int(m.group(1))]) if int(m.group(1)) < len(values)
                                          else m.group(0), item.title)
        if item.id in ids:
            item.id = ids[item.id]
        _fix_toc(item.children, values, ids)


def _resolve_links(fragment: str, page, files, problems: list[str]) -> str:
    """Prose links name pages by their path from the site root; the page needs them relative to itself."""
    if '<a href="' not in fragment:
        return fragment

    def one(match: re.Match) -> str:
        target = html.unescape(match.group(1))
        path = site_path(target)
        if path is None:
            return match.group(0)
        file = files.get_file_from_path(path)
        if file is None:
            problems.append(f"{page.file.src_uri}: a link in inventory text points nowhere in the site: {target!r} "
                            "(prose links are paths from the site root, like procedures.md#restart)")
            return match.group(0)
        rest = target[len(target.split("#", 1)[0]):] if "#" in target else ""
        return f'<a href="{html.escape(file.url_relative_to(page.file) + rest, quote=True)}"'

    return _HREF.sub(one, fragment)


def _protect(output: str, where: str) -> str:
    """A Content-Security-Policy for the page's own (theme) scripts, then the whole page checked."""
    problems = [f"{where}: {what}" for what in unsafe_markup(output, allow_scripts=_theme_script)]
    if problems:
        raise UnsafeOutput(problems)
    hashes = sorted({_hash(m.group("body")) for m in _SCRIPT.finditer(output) if "src=" not in m.group("attrs")})
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(hashes)}">'
    head = _HEAD.search(output)
    if head is None:
        return output
    return output[:head.end()] + meta + output[head.end():]


def content_security_policy(script_hashes: list[str]) -> str:
    """Scripts: the site's own files and the theme's inline scripts (by hash), nothing inline besides;
    nothing from other hosts except what a link opens."""
    scripts = " ".join(["'self'"] + [f"'{h}'" for h in script_hashes])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
            "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")


def _hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")


def _theme_script(node) -> bool:
    """A script of the theme's template: inline (page content holds none: on_page_content saw to it) or a file
    of the site itself, never one from another host."""
    src = node.attributes.get("src")
    return src is None or not re.match(r"^([a-z][a-z0-9+.\-]*:|//)", src.strip(), re.IGNORECASE)


def problem_list(message: str):
    """UnsafeOutput's lines as problems (``page: what``, positioned at the page), or None for other errors."""
    from runbookgen.problems import Position, Problem

    lines = problems_of(message)
    if lines is None:
        return None
    result = []
    for line in lines:
        where, _, what = line.partition(": ")
        result.append(Problem(Position(f"site page {where}", 1, 1), what or line))
    return result
