"""What a site build hands back: counts, and per-page records a later build can reuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) while a site builds."""


@dataclass
class PageRecord:
    """What the site needs from a page it does not rebuild: search index entries, anchors, anchor links."""

    search: list[dict] = field(default_factory=list)
    anchors: list[str] | None = None  # the ids a link may point at (None: mkdocs did not collect them)
    links: dict[str, dict[str, str]] | None = None  # target page -> {anchor: link as written}

    def to_json(self) -> dict:
        return {"search": self.search, "anchors": self.anchors, "links": self.links}

    @classmethod
    def from_json(cls, data: dict) -> PageRecord:
        return cls(search=list(data["search"]), anchors=data["anchors"], links=data["links"])


@dataclass
class SiteBuild:
    """What a build did, and what the next one may reuse (empty when the configuration allows no partial build)."""

    built: int
    records: dict[str, PageRecord] = field(default_factory=dict)
    live: object = None  # engine/warm.LiveSite, when asked for: the build kept in memory to render pages again
