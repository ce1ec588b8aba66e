"""Where every page lives: the one module that decides page paths, page URLs and ``runbook_url``s.

Rule files point their ``runbook_url`` annotation at these addresses, so they must never
change for a given alert name, ``site_url`` and URL style. Python (build, lint, annotate,
export-rules, incident) and the templates (as filters) all ask this module; nothing else
concatenates a page path.

Three spellings of one page:

- the *docs path*, the generated Markdown file below the docs folder: ``alerts/<slug>.md``;
- the *built path*, the file the site engine writes: ``alerts/<slug>.html``, or
  ``alerts/<slug>/index.html`` with directory URLs;
- the *page URL*, what a browser asks for below the site root: ``alerts/<slug>.html`` or ``alerts/<slug>/``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

PATTERN_FIELDS = ("site_url", "path", "slug", "name")
DEFAULT_PATTERN = "{site_url}{path}"
_NAME_SAFE = ":@!$'*+,;=-._~"  # RFC 3986 path characters that need no encoding (not / ? # % & ( ))


CLASSIC_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_:-]*")
# Alert pages are alerts/<page name>.md beside alerts/index.md, the alert index.
RESERVED_PAGE_NAMES = frozenset({"index"})


def slugify(name: str) -> str:
    """The stable page name of an alert: lower case, runs of other characters become '-'.

    A name of the classic shape (letters, digits, ``_``, ``:``, ``-``) keeps exactly that, the slug it
    always had. Any other name Prometheus accepts (spaces, any UTF-8) also gets 8 hex digits of its
    SHA-256, so names differing only in what the slug drops ("Disk errors", "disk-errors", "Ошибка")
    get pages of their own, and a page address never depends on which other alerts exist. So does a
    name whose slug is a page the site itself writes beside the alert pages (``index``, ``Index``).
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "alert"
    if CLASSIC_NAME.fullmatch(name) and slug not in RESERVED_PAGE_NAMES:
        return slug
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def alert_docs_path(name: str) -> str:
    return f"alerts/{slugify(name)}.md"


def severity_docs_path(severity_id: str) -> str:
    return f"severities/{slugify(severity_id)}/index.md"


def procedure_docs_path(procedure_id: str) -> str:
    return f"procedures/{slugify(procedure_id)}.md"


def incident_report_path(name: str) -> str:
    """The prefilled incident report a reader downloads: a plain file, not a page."""
    return f"incidents/{slugify(name)}.md"


INCIDENT_TEMPLATE_PATH = "incidents/blank_report.md"
"""The blank incident report, downloadable from the template page (``_`` is never part of a slug, so no
alert's report can take its name)."""

FIXED_PAGES = ("index.md", "alerts/index.md", "severities/index.md", "health-checks.md", "procedures.md",
               "escalation.md", "incident-report.md")
"""The pages every site has, whatever the inventory holds."""


def site_pages(*, alerts, severities, procedures, coverage: bool) -> set[str]:
    """Every page and download of a site, by its docs path: from the alert names, severity ids and
    procedure ids it is built from, and whether it has a coverage page."""
    pages = set(FIXED_PAGES) | {INCIDENT_TEMPLATE_PATH}
    pages |= {alert_docs_path(name) for name in alerts} | {incident_report_path(name) for name in alerts}
    pages |= {severity_docs_path(sid) for sid in severities} | {procedure_docs_path(pid) for pid in procedures}
    return pages | ({"coverage.md"} if coverage else set())


def built_path(docs_path: str, *, html_pages: bool) -> str:
    """Where the site engine writes a page: ``a/b.md`` -> ``a/b.html``, or ``a/b/index.html`` with directory URLs.

    Anything that is not a ``.md`` page (an asset, a download) is written where it is.
    """
    if not docs_path.endswith(".md"):
        return docs_path
    stem, name = posixpath.split(docs_path[:-3])
    if name == "index" or html_pages:
        return f"{stem}/{name}.html".lstrip("/")
    return f"{stem}/{name}/index.html".lstrip("/")


def page_url(docs_path: str, *, html_pages: bool) -> str:
    """The page's address below the site root, as a browser asks for it."""
    built = built_path(docs_path, html_pages=html_pages)
    if not html_pages and built.endswith("index.html"):
        return built[: -len("index.html")]
    return built


def alert_page_url(name: str, *, html_pages: bool) -> str:
    """``alerts/<slug>.html`` or ``alerts/<slug>/``."""
    return page_url(alert_docs_path(name), html_pages=html_pages)


def relative_path(target: str, folder: str) -> str:
    """``target`` relative to ``folder``, both "/"-separated paths inside the site ("" for its root).

    What posixpath.relpath says, without its two trips to the working directory per call
    (thousands of links per build).
    """
    to, start = target.split("/"), folder.split("/") if folder else []
    if any(part in ("", ".", "..") for part in to + start):
        return posixpath.relpath(target, folder or ".")
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


class PatternError(ValueError):
    """A ``lint.runbook_url`` pattern that cannot be filled in; the message says why."""


@dataclass(frozen=True)
class UrlPattern:
    """A parsed ``lint.runbook_url`` pattern: literal text and ``{field}`` references, nothing else.

    Patterns come from the inventory, so they are parsed, never handed to ``str.format`` (whose
    attribute access and padding specifiers would let a pattern crash or balloon the output).
    ``{{`` and ``}}`` stand for literal braces.
    """

    parts: tuple[tuple[bool, str], ...]  # (is a field, text or field name)

    @classmethod
    def parse(cls, text: str) -> UrlPattern:
        parts: list[tuple[bool, str]] = []
        literal: list[str] = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch in "{}" and text[i + 1: i + 2] == ch:
                literal.append(ch)
                i += 2
                continue
            if ch == "}":
                raise PatternError(f"'}}' at character {i + 1} closes nothing (write '}}}}' for a brace)")
            if ch == "{":
                end = text.find("}", i)
                if end < 0:
                    raise PatternError(f"'{{' at character {i + 1} is never closed")
                field = text[i + 1: end]
                if field not in PATTERN_FIELDS:
                    allowed = ", ".join("{" + f + "}" for f in PATTERN_FIELDS)
                    raise PatternError(f"unknown field {{{field}}} at character {i + 1}; a pattern may use {allowed}")
                if literal:
                    parts.append((False, "".join(literal)))
                    literal = []
                parts.append((True, field))
                i = end + 1
                continue
            literal.append(ch)
            i += 1
        if literal:
            parts.append((False, "".join(literal)))
        return cls(tuple(parts))

    def uses(self, field: str) -> bool:
        return any(is_field and text == field for is_field, text in self.parts)

    def fill(self, values: dict[str, str]) -> str:
        return "".join(values[text] if is_field else text for is_field, text in self.parts)


def runbook_url(name: str, *, site_url: str, html_pages: bool, pattern: str | UrlPattern = "") -> str:
    """The URL an alert's ``runbook_url`` annotation should hold ("" when neither site_url nor pattern is known).

    ``pattern`` (the inventory's ``lint.runbook_url``) may use {site_url}, {path}, {slug} and {name};
    PatternError when it is not a valid pattern. {name} is percent-encoded where a URL needs it (a space,
    a slash, non-ASCII letters), so names made only of letters, digits, _, : and - stay as they are.
    """
    if not pattern and not site_url:
        return ""
    parsed = pattern if isinstance(pattern, UrlPattern) else UrlPattern.parse(pattern or DEFAULT_PATTERN)
    base = site_url.rstrip("/") + "/" if site_url else ""
    return parsed.fill({"site_url": base, "path": alert_page_url(name, html_pages=html_pages),
                        "slug": slugify(name), "name": quote(name, safe=_NAME_SAFE)})




def pattern_problem(text: str) -> str | None:
    """Why a ``lint.runbook_url`` pattern is unusable, or None."""
    try:
        UrlPattern.parse(text)
    except PatternError as err:
        return str(err)
    return None
