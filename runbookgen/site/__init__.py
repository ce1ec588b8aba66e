"""Turn a folder of generated Markdown into a static site.

The rest of runbookgen talks to the site engine only through ``build_site``;
``mkdocs_engine`` is the one engine today (mkdocs-material). Another engine that
reads the same mkdocs.yml (Zensical, for one) goes beside it.
"""

from runbookgen.site.records import PageRecord, SiteBuild

__all__ = ["PageRecord", "SiteBuild", "SiteError", "build_site", "partial_builds_supported", "site_url_of"]
_FROM_ENGINE = ("SiteError", "build_site", "partial_builds_supported", "site_url_of")


def __getattr__(name: str):
    """The engine's names, imported on first use: lint reaches ``site.urls`` without loading mkdocs."""
    if name in _FROM_ENGINE:
        from runbookgen.site import mkdocs_engine

        return getattr(mkdocs_engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
