"""Highlighted code with less markup: the same text, the same colour for every character, far fewer bytes.

Colours are compared through Material's stylesheet: each Pygments class maps to the CSS variable that colours
it; a character's colour in our HTML is its span's class, else the code element's class, else the text colour.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.token import STANDARD_TYPES

from runbookgen.generate import highlight as hl
from runbookgen.generate.prose import _lexer, code_block_html

CORPUS = Path(os.environ.get("RUNBOOKGEN_CORPUS", Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"))
HOSTILE = [
    'up{job="a</code></pre><script>alert(1)</script>"}',
    "rate(x{a=\"&amp; &lt; é 🚀\"}[5m])\n\n  and   on (b)\tvector(1)",
    "sum(rate(x[5m])) # a comment <b>\n",
    "   ",
    "",
    'namespace_app:http_requests_errors:ratio_rate5m{app=~"api|web"} > 0.05',
    '{app="x"} |= "error" | json | line_format "{{.msg}}" [5m]',
    "kubectl -n shop delete pod \"$POD\" && echo '<i>' > /tmp/x",
]


def _example_code() -> list[tuple[str, str]]:
    inventory = yaml.safe_load((Path(__file__).resolve().parents[2] / "runbooks.yaml").read_text(encoding="utf-8"))
    found = []
    for alert in inventory["alerts"]:
        for query in alert.get("queries", []):
            found.append((query["expr"], "logql" if query.get("datasource") == "loki" else "promql"))
        for step in alert.get("investigation", []):
            if isinstance(step, dict) and step.get("command"):
                found.append((step["command"], "bash"))
    return found


def _corpus_queries(limit: int = 400) -> list[tuple[str, str]]:
    rules = CORPUS / "samber__awesome-prometheus-alerts" / "_data" / "rules.yml"
    if not rules.is_file():
        return []
    text = rules.read_text(encoding="utf-8")
    return [(html.unescape(m), "promql") for m in re.findall(r"^\s+query: '(.*)'$", text, re.M)[:limit]]


CASES = [(code, lang) for code in HOSTILE for lang in ("promql", "logql", "bash", "text")] + _example_code()


class _Colours(HTMLParser):
    """Each character of a highlighted block with the class that colours it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.chars: list[tuple[str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in ("code", "span"):
            self.stack.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        if tag in ("code", "span"):
            self.stack.pop()

    def handle_data(self, data):
        colour = next((c for c in reversed(self.stack) if c), "")
        self.chars += [(ch, "" if colour == "n" else colour) for ch in data]


def _ours(code: str, language: str) -> _Colours:
    block = code_block_html(code, language)
    inner = re.fullmatch(r'<div class="language-[a-z0-9_+-]+ highlight"><pre>(<code.*</code>)</pre></div>', block, re.S)
    assert inner, block
    parsed = _Colours()
    parsed.feed(inner.group(1))
    parsed.close()
    return parsed


def _theirs(code: str, language: str) -> list[tuple[str, str]]:
    """Pygments' own tokens, each character with the class Material colours it by (as _COLOUR_GROUPS says)."""
    chars = []
    for token, text in _lexer(language).get_tokens(code.rstrip("\n") + "\n"):
        while token is not None and STANDARD_TYPES.get(token) is None:
            token = token.parent
        short = STANDARD_TYPES.get(token, "")
        if language == "promql" and short == "err" and text == ":":
            short = "nv"
        chars += [(ch, hl._CLASS_OF.get(short, "")) for ch in text]
    return chars


@pytest.mark.parametrize("code, language", CASES + _corpus_queries())
def test_same_text_and_same_colour_for_every_character(code, language):
    ours = _ours(code, language)
    assert "".join(ch for ch, _ in ours.chars) == code.rstrip("\n") + "\n"  # what copy and selection give
    assert ours.tags <= {"code", "span"}
    theirs = _theirs(code, language)
    assert [(ch, c) for ch, c in ours.chars if not ch.isspace()] == [(ch, c) for ch, c in theirs if not ch.isspace()]


def test_a_recording_rule_name_is_one_name_not_three_tokens_and_two_errors():
    block = code_block_html("namespace_app:http_requests_errors:ratio_rate5m > 0.05", "promql")
    assert ">namespace_app:http_requests_errors:ratio_rate5m" in block  # one run, after a tag


def test_the_example_queries_take_far_fewer_bytes_than_one_span_per_token():
    formatter = HtmlFormatter(nowrap=True)
    ours = sum(len(code_block_html(code, language)) for code, language in _example_code())
    theirs = sum(len(pygments_highlight(code + "\n", _lexer(language), formatter)) + 70
                 for code, language in _example_code())
    assert ours < 0.5 * theirs, (ours, theirs)
