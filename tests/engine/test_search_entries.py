"""The search index's entries made small (engine/search_entries.py): no word search found before is lost.

Material writes each section's text with the paragraph, list and code tags it keeps, and escapes the rest;
search splits the text into words at its separator. Folding a page's sections into one entry, and its code
blocks into their distinct words, must leave every one of those words findable.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings, strategies as st

from runbookgen.engine.material import SEARCH_SEPARATOR
from runbookgen.engine.search_entries import distinct_words, folded, plain_text, word_separator

SEPARATOR = word_separator(SEARCH_SEPARATOR)


def words(text: str, separator=SEPARATOR) -> set[str]:
    """The words search makes of an entry's text (lower case, as the search worker compares them)."""
    return {w.lower() for w in separator.split(plain_text(text)) if w and not w.isspace()}


def section(prose: str, code: str = "") -> str:
    """A section's text as Material writes it: escaped prose in a paragraph, code in <pre><code>."""
    text = f"<p>{html.escape(prose, quote=False)}</p>"
    if code:
        text += f" <pre><code>{html.escape(code, quote=False)}\n</code></pre>"
    return text


def test_an_alert_page_becomes_one_entry_with_its_prose_first_and_its_code_words_once():
    entries = [
        {"location": "alerts/x.html", "title": "CheckoutDown P0", "text": section("Checkout is down."), "boost": 2},
        {"location": "alerts/x.html#investigate", "title": "Investigate",
         "text": section("Look at the gateway.",
                         'sum by (code) (rate(http_requests_total{job="api"}[5m])) / '
                         'sum(rate(http_requests_total{job="api"}[5m]))'), "boost": 2},
    ]
    entry = folded(entries, SEPARATOR)
    assert entry == {"location": "alerts/x.html", "title": "CheckoutDown P0", "boost": 2,
                     "text": "Checkout is down. Look at the gateway. sum by code rate http_requests_total job api 5m /"}


def test_a_page_without_section_entries_keeps_its_address_and_title():
    entry = folded([{"location": "a.html", "title": "A", "text": ""}], SEPARATOR)
    assert entry == {"location": "a.html", "title": "A", "text": ""}


def test_markup_goes_text_stays_escaped():
    text = "<p>Run <code>kubectl</code> on H<sub>2</sub>O &lt;img src=x onerror=pwn(1)&gt;</p> <ol> <li>one</li> </ol>"
    assert plain_text(text) == "Run kubectl on H2O &lt;img src=x onerror=pwn(1)&gt; one"


def test_text_that_looks_like_a_code_block_is_prose_when_material_escaped_it():
    entry = folded([{"location": "a.html", "title": "A", "text": section("x <pre><code>y y y</code></pre> z")}],
                   SEPARATOR)
    assert entry["text"] == "x &lt;pre&gt;&lt;code&gt;y y y&lt;/code&gt;&lt;/pre&gt; z"


def test_a_separator_python_cannot_read_falls_back_to_white_space():
    assert word_separator(r"[\s\p{P}]+").pattern == r"\s+"  # \p{..}: JavaScript, not Python
    assert word_separator(None).pattern == r"\s+"
    assert distinct_words(["a(b) a(b) c"], word_separator(r"[\s\p{P}]+")) == "a(b) c"


def test_a_separator_with_a_group_adds_no_empty_word():
    assert distinct_words(["a-b  c"], word_separator(r"(\s|-)+")) in ("a b c", "a - b c")


TEXT = st.lists(st.sampled_from(list('abcXYZ_:019 \n\t-{}()[],=~!"|`<>&/.$\'*') + ["é", "日", "Db"]),
                max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_every_word_of_every_section_is_still_a_word_of_the_folded_entry(sections):
    entries = [{"location": "p.html" + (f"#s{i}" if i else ""), "title": f"S{i}", "text": section(prose, code)}
               for i, (prose, code) in enumerate(sections)]
    before = set().union(*(words(e["text"]) for e in entries))
    entry = folded(entries, SEPARATOR)
    assert words(entry["text"]) >= before
    assert entry["location"] == "p.html"
    code_words = SEPARATOR.split(entry["text"])
    assert len(code_words) <= len(SEPARATOR.split(" ".join(plain_text(e["text"]) for e in entries))) + 1


def test_code_words_are_not_repeated():
    code = "\n".join(f'rate(http_requests_total{{job="api", shard="{n}"}}[5m])' for n in range(50))
    entry = folded([{"location": "a.html", "title": "A", "text": section("", code)}], SEPARATOR)
    found = re.findall(r"http_requests_total", entry["text"])
    assert len(found) == 1
    assert {str(n) for n in range(50)} <= set(entry["text"].split())
