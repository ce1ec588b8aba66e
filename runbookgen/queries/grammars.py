"""Load an LALR grammar shipped beside this module, keeping lark's analysis in the user's cache folder.

Analysing a grammar costs about 0.1 s a run, loading the kept analysis 0.01 s. The file is named after
the grammar text, the options and the lark, Python and runbookgen versions, so a stale copy is never
used; the copy carries its SHA-256, checked before it is unpickled, and a damaged or unreadable copy is
analysed again (see ``runbookgen.usercache``).
"""

from __future__ import annotations

import io
import os
from importlib import resources

import lark
from lark import Lark
from lark.lexer import Lexer

from runbookgen.usercache import key, read_verified, user_cache_dir, write_verified


class ScannerLexer(Lexer):
    """lark's lexer interface over one of our own scanners: a subclass names it (``scanner``), and lark asks it
    for the tokens of a text. Each grammar keeps its own subclass, whose name is part of the kept analysis's key."""

    scanner: type

    def __init__(self, lexer_conf):
        pass

    def lex(self, data):
        yield from self.scanner(data).tokens()


def load_grammar(name: str, lexer) -> Lark:
    """The LALR parser for ``queries/<name>.lark`` with the lexer class ``lexer``."""
    grammar = resources.files("runbookgen.queries").joinpath(f"{name}.lark").read_text(encoding="utf-8")
    options = {"parser": "lalr", "lexer": lexer, "propagate_positions": False, "maybe_placeholders": False}
    cached = _cache_file(name, grammar, options)
    payload = read_verified(cached) if cached is not None else None
    if payload is not None:  # only an entry whose digest holds is unpickled
        try:
            return Lark.load(io.BytesIO(payload))
        except Exception:  # noqa: BLE001 - a stale layout: build it again below
            pass
    parser = Lark(grammar, **options)
    if cached is not None:
        scratch = io.BytesIO()
        parser.save(scratch)
        write_verified(cached, scratch.getvalue())
    return parser


def _cache_file(name: str, grammar: str, options: dict) -> str | None:
    folder = user_cache_dir("grammars")
    if folder is None:
        return None
    shown = sorted((option, getattr(value, "__qualname__", value)) for option, value in options.items())
    return os.path.join(folder, f"{name}-{key(grammar, shown, lark.__version__)}.pickle")
