"""serve's warm path: an edit that changed only page bodies goes straight into the preview site.

``serve`` is one long-lived process. After a full build it keeps the site engine's state in memory
(``engine/warm.LiveSite``) with the outline the site was built from: the structure digest (navigation, every
page's front matter, the configuration, the engine), each page's and download's digest, and the build date.
On the next rebuild, when the structure and the date are the same, only the pages whose Markdown changed are
written to the docs folder and rendered again, straight into the site in place; the search index is written again
from every page's record. No full site engine run, no walk of the site, no cache file written.

Anything else (a page added, removed or renamed, a title or front matter change, a configuration or engine
change, another day, a warning or error while rendering) is left to the usual build (``build.py``), which
replaces the kept state when it succeeds. The build cache no longer describes a site the warm path changed, so it
is forgotten; a refused render writes it again for the site in place, so that the usual build after it is an
incremental one.
"""

from __future__ import annotations

import os

from runbookgen.engine.warm import WarmRefused
from runbookgen.output.cache import site_stamp


class WarmSite:
    """The site a ``serve`` process built last, kept alive to take the next edit (see the module's docstring)."""

    def __init__(self):
        self._live = None
        self._outline: dict | None = None
        self._site_dir: str | None = None
        self.refused: str | None = None  # why the last warm update was refused (for tests and benches)

    def keep(self, live, outline: dict, site_dir: str) -> None:
        """A usual build put this site in place; ``live`` is its engine state (None: no warm path for it)."""
        if live is not None and live.refused:
            self.refused, live = live.refused, None
        self._live = live
        self._outline = outline if live is not None else None
        self._site_dir = os.path.abspath(site_dir)

    def update(self, store, outline: dict, pages: list, downloads: list,
               site_dir: str) -> tuple[int, bool] | None:
        """Bring the site in place to ``outline``: (pages rendered again, whether the site changed), or None when
        the warm path does not apply and the usual build must run."""
        kept = self._outline
        self.refused = None
        if self._live is None or kept is None or self._site_dir != os.path.abspath(site_dir):
            return self._refuse("no live site")
        if kept["structure"] != outline["structure"] or kept["date"] != outline["date"]:
            return self._refuse("structure or date changed")
        changed = [p for p in pages if kept["pages"].get(p.path) != outline["pages"][p.path]]
        fresh = [d for d in downloads if kept["downloads"].get(d.path) != outline["downloads"][d.path]]
        if set(kept["downloads"]) != set(outline["downloads"]):
            return self._refuse("downloads added or removed")
        if not changed and not fresh:
            return 0, False
        store.forget()  # the site is about to change under the cache's description of it
        self._write(changed, store.docs)
        # From here until the site is in place, the kept outline promises nothing for these pages: a refused
        # render leaves them to be rendered again by the next warm update.
        for page in changed:
            kept["pages"][page.path] = ""
        try:
            rendered = self._live.render([p.path for p in changed], site_dir) if changed else 0
        except WarmRefused as err:
            self._describe(store, site_dir)
            return self._refuse(str(err))
        self._write(fresh, site_dir)
        self._outline = outline
        return rendered, True

    def _describe(self, store, site_dir: str) -> None:
        """Write the build cache for the site in place (the warm updates left it unwritten), so that the usual
        build after a refused render reuses every page that render did not touch: an incremental build, not a
        full one (minutes at 10,000 alerts), also when it only reports the problem. Its inputs are left unknown:
        that build is never skipped."""
        store.save(state={"inputs": None, "site": site_stamp(site_dir), "pages": 0, "alerts": 0},
                   pages=self._outline, records=self._live.records)

    def _refuse(self, why: str) -> None:
        self.refused = why
        return None

    @staticmethod
    def _write(pages: list, folder: str) -> None:
        """Write each page to ``folder``, each replacing its file in one step (the site is being served)."""
        for page in pages:
            target = os.path.join(folder, *page.path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            scratch = target + ".warm-new"
            with open(scratch, "wb") as handle:
                handle.write(page.content.encode("utf-8"))
            os.replace(scratch, target)
