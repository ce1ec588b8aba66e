"""The site's 404 page, made to work wherever it is opened.

mkdocs writes ``404.html`` with root-absolute addresses (``/<site path>/assets/...``), for a web
server that shows it at any missing address. Opened from ``file://``, or served below another
path than ``site_url``'s, such a page is unstyled and its links lead nowhere.

runbookgen writes it with addresses relative to the site root, where the file lies, so it works
from disk and under any base path. When a web server shows it for a missing address deeper
than the site root (``/checkout/alerts/gone.html``, or ``/checkout`` itself), relative addresses would miss: a small
script at the top of the page then replaces the address with the site's own ``404.html``,
which it knows from ``site_url`` (or ``/`` without one, as mkdocs assumes), before anything
else loads.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin, event_priority

TEMPLATE = "404.html"
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def site_root_path(site_url: str | None) -> str:
    """The path the site is published below, ending in '/': '/checkout/' for https://host/checkout."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def redirect_script(root: str) -> str:
    """The script that sends a deep missing address to the site's own 404 page (see the module's docstring)."""
    root_json = json.dumps(root).replace("<", "\\u003c")  # the site path is configuration text: never ends a script
    return ("<script>(function(){var r=" + root_json + ",l=window.location,p=l.pathname;"
            "if(/^https?:$/.test(l.protocol)&&(p.indexOf(r)===0?p.slice(r.length).indexOf('/')>=0:p+'/'===r))"
            "{l.replace(r+'" + TEMPLATE + "');}})();</script>")


class ErrorPage(BasePlugin):
    """Relative addresses in the 404 page, and the redirect script for deep missing addresses."""

    @event_priority(-100)  # after other plugins set the context: the base is ours to decide
    def on_template_context(self, context, *, template_name, config):
        if template_name == TEMPLATE:
            context["base_url"] = "."  # mkdocs' url filter joins every asset and nav address to it
        return context

    @event_priority(-100)  # before the content guard (-200) hashes the page's scripts for its policy
    def on_post_template(self, output_content, *, template_name, config):
        if template_name != TEMPLATE:
            return output_content
        head = _HEAD.search(output_content)
        if head is None:
            return output_content
        script = redirect_script(site_root_path(config.get("site_url")))
        return output_content[:head.end()] + script + output_content[head.end():]
