"""Turn a folder of generated Markdown into a static site.

The rest of runbookgen talks to the site engine only through ``build_site``;
``mkdocs_engine`` is the one engine today (mkdocs-material). Another engine that
reads the same mkdocs.yml (Zensical, for one) goes beside it.
"""

from runbookgen.site.mkdocs_engine import SiteError, build_site, partial_builds_supported, site_url_of
from runbookgen.site.records import PageRecord, SiteBuild

__all__ = ["PageRecord", "SiteBuild", "SiteError", "build_site", "partial_builds_supported", "site_url_of"]
