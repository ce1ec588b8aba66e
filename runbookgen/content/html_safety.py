"""What no page of a runbook site may hold: the checks a build runs on its own HTML.

Parsed the way a browser parses it (selectolax's Lexbor is an HTML5 parser), so
that what is checked is what a reader's browser would run:

- an ``on*`` event-handler attribute on any element;
- a ``javascript:``, ``vbscript:`` or ``data:`` URL in ``href``, ``src``,
  ``action``, ``formaction``, ``xlink:href``, ``srcdoc`` or the like;
- a ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<base>`` or a
  ``<meta http-equiv>`` (other than runbookgen's own policy) where only theme
  and runbookgen templates may put one.
"""

from __future__ import annotations

import re

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                            "cite", "srcset", "ping", "codebase", "manifest", "icon"})
ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"})
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def bad_url(value: str) -> bool:
    return bool(_BAD_SCHEME.match(_INVISIBLE.sub("", value or "")))


_MAYBE_HANDLER = re.compile(r"[\s\"'/]on", re.IGNORECASE)  # an attribute named on...: names are never encoded
# Without one of these, no element can carry script: an event handler, an active element, a URL attribute
# whose value is not plainly a path or an http(s)/mailto address (values may hide a scheme in references).
_MAYBE_ACTIVE = re.compile(r"[\s\"'/]on"
                           r"|<(?:script|iframe|object|embed|frame|applet|base|portal|meta|svg|math)\b"
                           r"|[\s\"'/](?:srcset|srcdoc)\s*="
                           r"|[\s\"'/](?:" + "|".join(sorted(URL_ATTRIBUTES - {"srcset"})) + r"|[a-z]+:href)\s*=\s*"
                           r"(?![\"']?https?://[^\s\"'&:]*[\"'\s>]|[\"']?mailto:|[\"']?#"
                           r"|[\"'][a-z0-9_./#?=%+~-]*[\"']|[a-z0-9_./#?=%+~-]+[\s>])",
                           re.IGNORECASE)
_SELECTED = ",".join(sorted(ACTIVE_TAGS | {"meta"}) + [f"[{a.replace(':', chr(92) + ':')}]" for a in sorted(URL_ATTRIBUTES)]
                     + ["[srcdoc]"])


def unsafe_markup(fragment: str, *, allow_scripts=None, quick: bool = True) -> list[str]:
    """What in ``fragment`` (a page or part of one) could run script; [] when nothing.

    ``allow_scripts(node)`` says which ``<script>`` elements are the theme's (a whole page has some).
    ``quick=False`` parses and walks every element whatever the text looks like (the tests compare).
    """
    from selectolax.lexbor import LexborHTMLParser

    if quick and ("<" not in fragment or not _MAYBE_ACTIVE.search(fragment)):
        return []
    tree = LexborHTMLParser(fragment)
    if tree.root is None:
        return []
    # every element when an event handler may be there; else only those the selector finds (parsed in C: fast)
    every = not quick or _MAYBE_HANDLER.search(fragment)
    nodes = tree.root.traverse() if every else tree.css(_SELECTED)
    found: list[str] = []
    for node in nodes:
        tag = node.tag
        if not tag or tag.startswith("-"):
            continue
        attributes = node.attributes
        for name, value in attributes.items():
            lower = name.lower()
            if lower.startswith("on"):
                found.append(f"<{tag}> has an event handler attribute {name}={_short(value)}")
            elif (lower in URL_ATTRIBUTES or lower.endswith(":href")) and value and _urls_bad(lower, value):
                found.append(f"<{tag}> has a script or data URL in {name}: {_short(value)}")
            elif lower == "srcdoc":
                found.append(f"<{tag}> has a srcdoc attribute")
        if tag in ACTIVE_TAGS and not (tag == "script" and allow_scripts and allow_scripts(node)):
            found.append(f"<{tag}> element{' ' + _short(attributes.get('src') or '') if attributes.get('src') else ''}")
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    return list(dict.fromkeys(found))  # an element several selectors match is listed once


def _urls_bad(name: str, value: str) -> bool:
    if name == "srcset":
        return any(bad_url(part.strip().split(" ")[0]) for part in value.split(","))
    return bad_url(value)


def _short(value: str | None) -> str:
    text = " ".join(str(value or "").split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
