"""Dense logic behind the content defences: the shortcuts must say exactly what the long way says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from runbookgen.generate import prose
from runbookgen.content.html_safety import unsafe_markup

WORDS = st.text(alphabet="abcXYZ ,;()'\"/?\t\n\r\u00a0\u00e9\u2014\u200b$%^@", max_size=60)
URL_BITS = st.lists(st.sampled_from(["java", "script", ":", "\t", " ", "\n", "&#106;", "&#x6A;", "&Tab;", "data",
                                     "https", "//", "x", ".md", "#", "?", "=", "mailto", "%3A", "&amp;", "'", "on"]),
                    max_size=8).map("".join)


@given(WORDS | st.text(max_size=30))
@settings(max_examples=600, deadline=None)
def test_plain_words_render_as_commonmark_renders_them(text):
    slow_inline = prose.clean(prose._parser().renderInline(" ".join(text.split())))
    assert prose.prose_inline(text) == slow_inline
    if text:
        assert prose.prose_block(text) == prose.clean(prose._parser().render(text))


@given(st.sampled_from(["href", "src", "action", "xlink:href", "srcset", "formaction", "poster", "title", "class"]),
       URL_BITS, st.sampled_from(['"', "'", ""]), st.sampled_from(["a", "img", "form", "svg", "p"]))
@settings(max_examples=500, deadline=None)
def test_the_quick_check_finds_whatever_the_full_parse_finds(attribute, value, quote, tag):
    fragment = f"<{tag} {attribute}={quote}{value}{quote}>x</{tag}>"
    assert unsafe_markup(fragment) == unsafe_markup(fragment, quick=False)
    handler = f"<{tag} title=x {value or 'x'}=y>"
    assert unsafe_markup(handler) == unsafe_markup(handler, quick=False)
