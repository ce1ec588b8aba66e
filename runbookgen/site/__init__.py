"""Turn a folder of generated Markdown into a static site.

The rest of runbookgen talks to the site engine only through ``build_site``;
``mkdocs_engine`` is the one engine today (mkdocs-material). Another engine that
reads the same mkdocs.yml (Zensical, for one) goes beside it.
"""

from runbookgen.site.mkdocs_engine import SiteError, build_site, site_url_of

__all__ = ["SiteError", "build_site", "site_url_of"]
