"""Read a built site the way a browser would: every page, every link, every anchor."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag/attr, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append((f"{tag}[{key}]", attrs[key]))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def broken_links(site: Path, site_path: str = "/") -> list[str]:
    """Every internal href/src that points at a missing file or a missing #anchor.

    Root-absolute links (mkdocs writes them in 404.html, which a web server shows at any address)
    are resolved against ``site_path``, the path part of the configured site_url.
    """
    parsed = {p: parse(p) for p in html_pages(site)}
    broken = []
    for page, info in parsed.items():
        for where, url in info.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or url.startswith("mailto:"):
                continue
            if parts.path.startswith("/"):
                if not parts.path.startswith(site_path):
                    broken.append(f"{page.relative_to(site)}: {where}={url} -> outside the site")
                    continue
                target = site / unquote(parts.path[len(site_path):])
            else:
                target = page if not parts.path else (page.parent / unquote(parts.path))
            target = Path(os.path.normpath(target))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {where}={url} -> missing {target.relative_to(site) if site in target.parents else target}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = (parsed.get(target) or parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {where}={url} -> no anchor #{parts.fragment}")
    return broken


def external_resources(site: Path) -> list[str]:
    """Scripts, stylesheets, images and fonts a page would fetch from another host."""
    found = []
    for page in html_pages(site):
        for where, url in parse(page).links:
            if where in ("script[src]", "img[src]", "link[href]", "iframe[src]") and (
                url.startswith("http:") or url.startswith("https:") or url.startswith("//")
            ):
                if where == "link[href]" and not _is_resource_link(page, url):
                    continue
                found.append(f"{page.relative_to(site)}: {where}={url}")
    return found


def _is_resource_link(page: Path, url: str) -> bool:
    text = page.read_text(encoding="utf-8")
    idx = text.find(url)
    tag_start = text.rfind("<link", 0, idx)
    tag = text[tag_start: text.find(">", idx) + 1]
    return 'rel="canonical"' not in tag and "rel=canonical" not in tag


def nav_targets(page: Path) -> set[str]:
    """The pages linked from the navigation of one built page (relative to the site root)."""
    text = page.read_text(encoding="utf-8")
    start = text.find('<nav class="md-nav md-nav--primary"')
    end = text.find("</nav>", start)
    while True:  # the primary nav nests <nav> elements; find the matching close
        nested = text.count("<nav", start + 4, end)
        closes = text.count("</nav>", start, end + 6)
        if nested + 1 <= closes:
            break
        end = text.find("</nav>", end + 6)
    sub = _Page()
    sub.feed(text[start:end])
    root = page.parent
    targets = set()
    for where, url in sub.links:
        parts = urlsplit(url)
        if where == "a[href]" and not parts.scheme and parts.path:
            targets.add(os.path.normpath(root / unquote(parts.path)))
    return targets
