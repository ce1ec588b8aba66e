"""The site engine: the one package that imports mkdocs and Material for MkDocs.

The rest of runbookgen talks to the engine only through the names below: ``build_site``
turns a folder of generated Markdown into a static site; ``site_url_of`` and
``read_user_config`` read the user's mkdocs.yml; ``partial_builds_supported``,
``build_date`` and ``front_matter`` tell the build cache what a page depends on.
``material`` is the one engine today (mkdocs-material); another engine that reads
the same mkdocs.yml (Zensical, Material's named successor) goes beside it, and an
import-graph test keeps every mkdocs or Material import inside this package.
"""

from runbookgen.engine.records import PageRecord, Progress, SiteBuild

__all__ = ["PageRecord", "Progress", "SiteBuild", "SiteError", "build_date", "build_site", "front_matter",
           "partial_builds_supported", "read_user_config", "site_url_of"]
_FROM_ENGINE = ("SiteError", "build_date", "build_site", "front_matter", "partial_builds_supported",
                "read_user_config", "site_url_of")


def __getattr__(name: str):
    """The engine's names, imported on first use: commands that never build (lint) do not load mkdocs."""
    if name in ("SiteError", "site_url_of"):  # read without mkdocs (site_config.py)
        from runbookgen.engine import site_config

        return getattr(site_config, name)
    if name in _FROM_ENGINE:
        from runbookgen.engine import material

        return getattr(material, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
