"""The search index's entries, made small: what a reader searches for, once per page, as plain text.

Material's search plugin indexes every page section by section (one entry per heading, each with its
address, title and the text's paragraph and list markup), and the theme's search worker downloads, parses
and indexes all of it before the first result shows. On a site of thousands of alert pages that is most of
the index, and none of it is searched: a reader looks for an alert's name, its summary or description, a
metric or label of its queries, an owner, a cause, a procedure.

The templates decide what is indexed: the parts nobody searches for (the same headings, links and
sentences on every alert page, lists of other alerts) carry ``data-search-exclude``, which Material honours.
This plugin then, after Material indexed a page and before anything records its entries:

- keeps the text only: the paragraph, list and code tags Material keeps are dropped and white space is
  collapsed (the text stays escaped as Material wrote it; results show it as text);
- folds a page's section entries into one entry for the page when its front matter asks for it
  (``search: {sections: false}``, set by the alert template): the page's address and title, and the text of
  every section it indexed, section headings left out. A result then leads to the alert's page, its first
  screen, and the reader's words are highlighted there. The page's code blocks (queries, commands) become
  one list of their distinct words, after the prose: split where the search splits words (its
  ``separator``), so every word search found in them before is still there, once.
"""

from __future__ import annotations

import re

from mkdocs.plugins import BasePlugin, event_priority

_BLOCK_TAGS = re.compile(r"</?(?:p|pre|li|ol|ul)>")  # between words
_INLINE_TAGS = re.compile(r"</?(?:code|sub|sup)>")  # may stand inside a word: x<sub>2</sub>
_SPACE = re.compile(r"\s+")
_CODE_BLOCK = re.compile(r"<pre><code>(.*?)</code></pre>", re.DOTALL)


def plain_text(text: str) -> str:
    """An entry's text without the markup Material keeps in it, white space collapsed (the text stays escaped)."""
    return _SPACE.sub(" ", _INLINE_TAGS.sub("", _BLOCK_TAGS.sub(" ", text))).strip()


def distinct_words(texts: list[str], separator: re.Pattern) -> str:
    """The words of ``texts`` as search splits them, each once (the first spelling of words equal but for case)."""
    seen: dict[str, str] = {}
    for text in texts:
        for word in separator.split(text):
            if word and not word.isspace():
                seen.setdefault(word.lower(), word)
    return " ".join(seen.values())


def folded(entries: list[dict], separator: re.Pattern) -> dict:
    """One entry for a page from its section entries (texts as Material wrote them, with their markup): the
    first entry's address, title, tags and boost, every section's prose, then the distinct words of its code."""
    first = dict(entries[0])
    first["location"] = first["location"].split("#", 1)[0]
    code: list[str] = []
    prose = []
    for entry in entries:
        code += _CODE_BLOCK.findall(entry["text"])
        prose.append(plain_text(_CODE_BLOCK.sub(" ", entry["text"])))
    words = distinct_words([plain_text(block) for block in code], separator)
    first["text"] = " ".join(part for part in prose + [words] if part)
    return first


def search_plugin(config):
    """Material's search plugin, when it is on."""
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search") and plugin.config.enabled:
            return plugin
    return None


def word_separator(pattern: str | None) -> re.Pattern:
    """The search's word separator as a Python pattern; white space where it has none or Python cannot read it."""
    try:
        return re.compile(pattern or r"\s+")
    except re.error:
        return re.compile(r"\s+")


class CompactSearchEntries(BasePlugin):
    """Rewrites each page's entries in Material's search index as soon as Material made them."""

    def __init__(self):
        super().__init__()
        self._seen = 0  # entries in the index when this plugin last ran: the next page's come after them
        self._separator: re.Pattern | None = None

    def render_again(self, config, uris) -> None:
        """Before pages are rendered again after the build (serve's warm path, engine/warm.py): the index already
        holds every page's entries, so the next page's come after all of them."""
        index = getattr(search_plugin(config), "search_index", None)
        self._seen = len(index.entries) if index is not None else 0

    @event_priority(-50)  # after the search plugin indexed the page, before the build records its entries
    def on_page_context(self, context, *, page, config, nav):
        plugin = search_plugin(config)
        index = getattr(plugin, "search_index", None)
        if index is None:
            return context
        entries = index.entries[self._seen:]
        search = page.meta.get("search")
        if entries and isinstance(search, dict) and search.get("sections") is False:
            if self._separator is None:
                self._separator = word_separator(plugin.config.separator)
            entries = [folded(entries, self._separator)]
        else:
            for entry in entries:
                entry["text"] = plain_text(entry["text"])
        index.entries[self._seen:] = entries
        self._seen = len(index.entries)
        return context
