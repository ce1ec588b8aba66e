"""Link targets read the way a browser reads them."""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def link_scheme(target: str) -> str:
    """The scheme of a link target as a browser reads it (control characters and spaces are ignored inside
    a scheme), lower-cased; "" when it has none (a relative path or an ``#anchor``)."""
    match = _SCHEME.match(_INVISIBLE.sub("", target))
    return match.group(1).lower() if match else ""


def squeezed(text: str) -> str:
    """``text`` without the characters a browser ignores inside a URL's scheme."""
    return _INVISIBLE.sub("", text)


def safe_link_target(target: str) -> bool:
    """http(s), mailto and scheme-less targets are safe; javascript:, data:, vbscript:, file: and the rest not."""
    scheme = link_scheme(target)
    return not scheme or scheme in SAFE_SCHEMES


def site_path(target: str) -> str | None:
    """The site page a scheme-less prose link names (``procedures.md`` of ``procedures.md#restart``), or None
    for a bare ``#anchor``, a query or an absolute URL. Prose links are paths from the site root: the same
    text is shown on pages at several depths."""
    if link_scheme(target) or target.startswith(("#", "?", "//")):
        return None
    path = re.split(r"[#?]", target, maxsplit=1)[0]
    return path.lstrip("/") or None
