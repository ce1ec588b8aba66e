"""Blank lines out of the site's HTML, and not one character a reader sees or a script reads changed."""

from __future__ import annotations

import re

from runbookgen.engine.compact import compact_html


def test_blank_lines_between_tags_become_one_line_break():
    page = "<ul>\n\n    <li>\n      <a href=\"x.html\">\n        <span>\n   Home\n   </span>\n  </a>\n</li>\n\n</ul>\n"
    assert compact_html(page) == "<ul>\n<li>\n<a href=\"x.html\">\n<span>\nHome\n</span>\n</a>\n</li>\n</ul>\n"


def test_text_a_reader_sees_collapses_the_same_way_before_and_after():
    page = "<p>Restart   the\n\n   pod, then <em>wait</em>\n   5m.</p>"
    shown = lambda html: re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", html))  # noqa: E731 - how a browser collapses
    assert shown(compact_html(page)) == shown(page)


def test_whitespace_that_shows_or_runs_is_kept():
    kept = ["<pre><code>line one\n\n    indented\n</code></pre>",
            "<code>a  \n\n  b</code>", "<kbd>Ctrl\n\n +</kbd>", "<textarea>x\n\n  y</textarea>",
            "<script>var a = 1;\n\n   var b = '\n  ';</script>", "<style>\n\n  p { }\n</style>",
            "<PRE>\n\n  upper case</PRE>"]
    for element in kept:
        page = f"<div>\n\n  {element}\n\n</div>"
        assert element in compact_html(page), element


def test_attribute_values_are_kept_even_across_lines():
    page = '<a title="first\n\n    second" href="x">\n\n  go</a>'
    assert '<a title="first\n\n    second" href="x">' in compact_html(page)


def test_already_compact_html_is_unchanged():
    page = "<p>a <b>b</b> c</p>\n<pre>\n x\n</pre>\n"
    assert compact_html(page) == page
    assert compact_html(compact_html(page)) == page
