"""Code highlighted with as little markup as shows the same colours.

Pygments' HTML formatter wraps every token in a span of its own: in a runbook's
PromQL that is seven bytes of markup for each byte of query (``<span class="w"> </span>``
around each space, ``<span class="o">(</span>`` around each parenthesis). The theme
colours tokens through a handful of CSS variables, so what a reader sees depends
only on which variable a token's class maps to. Here each token gets the one short
class of its colour; tokens whose colour is the code's own text colour (plain
names, whitespace, errors) get no span; and neighbouring tokens of one colour,
with the whitespace between them, share one span. The text is the same, character
for character, so copying and selecting are unchanged.
"""

from __future__ import annotations

import html
from functools import cache

from pygments.token import STANDARD_TYPES, Error, Name, Whitespace, _TokenType

# Material's stylesheet, grouped by the CSS variable that colours the class: each group is written as its first
# class. Operators, punctuation, comments, generic output and variables all take --md-code-hl-*-color values that
# the theme (and runbookgen.css, for contrast) sets alike, so they share one class.
_COLOUR_GROUPS = (
    ("o", "o ow p c c1 ch cm cs sd ge gh go gp gr gs gt gu na nv vc vg vi"),
    ("s", "s cpf l s1 s2 sb sc si ss"),
    ("se", "se cp sh sr sx"),
    ("m", "m il mb mf mh mi mo"),
    ("k", "k kd kn kp kr kt nd ni nl nt"),
    ("nb", "nb bp no"),
    ("nf", "nf nc ne nn"),
    ("gd", "gd"),
    ("gi", "gi"),
)
_CLASS_OF = {member: group for group, members in _COLOUR_GROUPS for member in members.split()}


@cache
def _colour_class(token: _TokenType) -> str:
    """The class that gives ``token`` its colour, or "" when it shows in the code's own text colour."""
    while token is not None:
        short = STANDARD_TYPES.get(token)
        if short is not None and short in _CLASS_OF:
            return _CLASS_OF[short]
        if short is not None and short != "":
            return ""  # a class the theme does not colour (w, err, n, ...)
        token = token.parent
    return ""


def highlighted(tokens, language: str = "") -> tuple[str, str]:
    """(HTML for ``tokens``, the class of the code element): one span per run of one colour.

    The code element's class is the colour that needs no span: none (the code's own text colour) or, where
    that gives less markup (PromQL, LogQL: mostly punctuation and label syntax), the operators' grey, with
    plain names then in spans of the text colour (``n``).
    """
    classed = []
    for token, text in tokens:
        if not text:
            continue
        if language == "promql" and token in Error and text == ":":
            token = Name.Variable  # a recording rule's name (job:errors:rate5m) is one name, not an error
        space = token in Whitespace or text.isspace()
        classed.append((None if space else _colour_class(token), text))
    plain, grey = _runs(classed, ""), _runs(classed, "o")
    return (grey, "o") if len(grey) < len(plain) else (plain, "")


def _runs(classed: list[tuple[str | None, str]], base: str) -> str:
    """The spans of ``classed`` ((class, text), None for whitespace) inside a code element of class ``base``."""
    out: list[str] = []
    run_class, run = "", []
    pending_space: list[str] = []  # whitespace after a run: joins it when the next token has its colour

    def close() -> None:
        if run:
            text = html.escape("".join(run), quote=False)
            out.append(f'<span class="{run_class}">{text}</span>' if run_class else text)

    for colour, text in classed:
        if colour is None:
            (pending_space if run_class else run).append(text)
            continue
        colour = "" if colour == base else colour or "n"
        if colour == run_class:
            run.extend(pending_space)
        else:
            close()
            out.append(html.escape("".join(pending_space), quote=False))
            run_class, run = colour, []
        pending_space = []
        run.append(text)
    close()
    out.append(html.escape("".join(pending_space), quote=False))
    return "".join(out)
