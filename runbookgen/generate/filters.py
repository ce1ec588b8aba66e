"""Jinja filters that make inventory text safe and well-formed Markdown.

Inventory text is the author's, but it ends up as HTML in a browser. Prose is
HTML-escaped (Markdown emphasis, lists and http(s) links still work), attribute
lists (``{: onclick=...}``) are disarmed, and links with any scheme other than
http, https or mailto are dropped. Code goes into fences longer than any run of
backticks it holds, so it can never close its own block.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

_LINK_TARGET = re.compile(r"\]\(((?:[^()]|\([^()]*\))*)\)")  # one level of (parentheses) inside
_REF_DEFINITION = re.compile(r"^(\s{0,3}\[[^\]]+\]:[ \t]*)(\S.*)$", re.MULTILINE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_SAFE_SCHEME = re.compile(r"^(https?|mailto):", re.IGNORECASE)
_REMOVED = "#unsafe-link-removed"


def safe_link_target(target: str) -> bool:
    """http(s), mailto and scheme-less (relative, #anchor) targets are safe; javascript:, data: and others not.

    Browsers ignore tabs, newlines and other control characters inside a scheme, so those are removed first.
    """
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", target).lstrip("<")
    return bool(_SAFE_SCHEME.match(squeezed)) or not _ANY_SCHEME.match(squeezed)


# Backtick fences and code spans only: text that looks like a fence but is not one is still a code span
# to Markdown (and escaped), whereas a ~~~ "fence" Markdown does not recognise would be raw text.
_CODE = re.compile(r"(?ms)^(?P<fence>[ \t]*`{3,}).*?^(?P=fence)[ \t]*$|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


def md_text(value) -> Markup:
    """Author prose as Markdown: HTML escaped, attribute lists disarmed, unsafe link targets removed.

    Code spans and fenced blocks are left as written: Markdown escapes their content itself.
    """
    text = str(value or "")
    out, last = [], 0
    for match in _CODE.finditer(text):
        out.append(_escape_prose(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_prose(text[last:]))
    return Markup("".join(out))


def _escape_prose(text: str) -> str:
    text = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    text = _LINK_TARGET.sub(lambda m: m.group(0) if safe_link_target(m.group(1)) else f"]({_REMOVED})", text)
    return _REF_DEFINITION.sub(lambda m: m.group(0) if safe_link_target(m.group(2)) else m.group(1) + _REMOVED, text)


def md_inline(value) -> Markup:
    """Prose on one line (headings, list items): newlines folded to spaces."""
    return md_text(" ".join(str(value or "").split()))


def md_cell(value) -> Markup:
    """Prose inside a Markdown table cell: one line, pipes escaped."""
    return Markup(str(md_inline(value)).replace("|", "&#124;"))


def fence(code, language: str = "") -> Markup:
    """A fenced code block whose fence cannot be closed by the code inside it."""
    code = str(code or "").rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return Markup(f"{ticks}{language}\n{code}\n{ticks}")


def code_inline(value) -> Markup:
    """Inline code that survives backticks inside it."""
    text = " ".join(str(value or "").split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{ticks}{pad}{text}{pad}{ticks}")


_MARKDOWN_SPECIALS = {c: f"&#{ord(c)};" for c in "|[]*_`\\{}<>&\"'"}


def attr(value) -> Markup:
    """A value for an HTML attribute, fully escaped (``|`` too: the attribute may sit in a table row)."""
    return Markup("".join(_MARKDOWN_SPECIALS.get(c, c) for c in str(value or "")))


def text(value) -> Markup:
    """Plain text that Markdown must not interpret anywhere: in a table cell, a link's text, inline HTML."""
    return Markup("".join(_MARKDOWN_SPECIALS.get(c, c) for c in " ".join(str(value or "").split())))


def url(value) -> Markup:
    """An http(s) URL for a Markdown link target; anything else becomes '#'."""
    text = str(value or "")
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return Markup("#")
    return Markup(text.replace(" ", "%20").replace(")", "%29").replace("(", "%28").replace("<", "%3C")
                  .replace(">", "%3E").replace('"', "%22"))


def duration_words(value: str) -> str:
    """'15m' -> '15 minutes', '1h30m' -> '1 hour 30 minutes'."""
    names = {"ms": "millisecond", "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "y": "year"}
    parts = []
    for number, unit in re.findall(r"([0-9]+)(ms|s|m|h|d|w|y)", str(value or "")):
        word = names[unit] + ("" if number == "1" else "s")
        parts.append(f"{number} {word}")
    return " ".join(parts) or str(value or "")


FILTERS = {
    "md": md_text, "md_inline": md_inline, "md_cell": md_cell, "fence": fence, "code": code_inline,
    "attr": attr, "text": text, "url": url, "duration_words": duration_words,
}
