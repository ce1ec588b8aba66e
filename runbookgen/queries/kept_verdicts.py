"""PromQL analyses kept between runs in the user's cache folder: a rerun on unchanged rules parses nothing.

Parsing is most of the cost of reading real rule files (thousands of distinct expressions), and
rule files rarely change between two runs of lint. One file, ``verdicts/promql-<key>.json``, holds
the analysis of every expression a run looked at (its error, or its experimental features, vector
selectors and normal form), keyed by the expression's exact text and the Prometheus major version.
``<key>`` is a digest of the parser's own sources (grammar, lexer, semantics, driver), the lark,
Python and runbookgen versions: a changed parser never reads an old verdict.

The file is data, never code (JSON), written whole with its SHA-256 (``usercache.write_verified``)
and read only when it is a regular file of this user that nobody else may write, in a folder of the
same kind. Every entry is checked for shape and bounds (offsets inside its expression) when it is
used; an entry that fails is parsed again, so a damaged file costs time and never a wrong position or
a crash. A writer with the user's own rights could still plant verdicts, as they could edit the code.
"""

from __future__ import annotations

import json
import functools
import hashlib
import importlib.util
import os

from runbookgen.usercache import key, read_private_verified, sources_digest, user_cache_dir, write_verified

MAX_ENTRIES = 200_000  # beyond this, a write keeps only the entries of the current run
_SOURCES = ("promql.lark", "promql.py", "promql_lexer.py", "promql_semantics.py", "promql_functions.py",
            "promql_operators.py", "promql_durations.py", "promql_nodes.py", "lalr_driver.py", "query_bounds.py",
            "kept_verdicts.py", "go_strings.py",
            "promql_fast.py", "promql_fast_terms.py", "promql_lalr.py")


def store_path() -> str | None:
    """Where the verdicts of this parser are kept; None when there is no usable cache folder."""
    folder = user_cache_dir("verdicts")
    if folder is None:
        return None
    digest = sources_digest((("runbookgen.queries", _SOURCES),))
    return os.path.join(folder, f"promql-{key(digest, _lark_release())}.json")


@functools.cache
def _lark_release() -> str:
    """Which lark is installed (its tables build the LALR parser), told without importing it: a run whose
    verdicts are all kept never needs lark. The digest of its ``__init__.py``, which names its version."""
    spec = importlib.util.find_spec("lark")
    try:
        with open(spec.origin, "rb") as file:  # type: ignore[union-attr, arg-type]
            return hashlib.sha256(file.read()).hexdigest()[:16]
    except (AttributeError, TypeError, OSError):
        return "unknown"


def read_store(path: str | None) -> dict[str, list]:
    """The raw entries (``"<major>:<expr>"`` -> encoded analysis) of the file at ``path``; {} when it is
    missing, damaged, not this user's, or writable by others."""
    payload = read_private_verified(path) if path is not None else None
    if payload is None:
        return {}
    try:
        entries = json.loads(payload)
    except (ValueError, RecursionError):
        return {}
    return entries if isinstance(entries, dict) else {}


def write_store(path: str | None, entries: dict[str, list]) -> None:
    if path is not None:
        # ASCII escapes: an expression holding a lone surrogate (text no UTF-8 can encode) still round-trips
        text = json.dumps(entries, separators=(",", ":"), ensure_ascii=True, sort_keys=True)
        write_verified(path, text.encode("ascii"))


def entry_key(expr: str, major: int) -> str:
    return f"{major}:{expr}"


def encode(analysis) -> list:
    error = analysis.error
    return [None if error is None else [error.message, error.offset, error.line, error.col, list(error.expected)],
            [list(f) for f in analysis.features],
            [[s.metric, [list(m) for m in s.matchers], s.start, s.end] for s in analysis.selectors],
            analysis.normal]


def decode(raw, expr: str, analysis_type, error_type, selector_type):
    """The analysis ``raw`` encodes, or None when it is not exactly the shape ``encode`` writes, with every
    offset inside ``expr``."""
    try:
        error, features, selectors, normal = raw
        size = len(expr)
        if error is not None:
            message, offset, line, col, expected = error
            if not (_text(message) and _count(offset, size) and _count(line, size + 1) and _count(col, size + 1)
                    and line >= 1 and col >= 1 and isinstance(expected, list) and all(map(_text, expected))):
                return None
            if features or selectors or normal is not None:
                return None
            return analysis_type(error_type(message, offset, line, col, tuple(expected)))
        if not (isinstance(features, list) and isinstance(selectors, list) and _text(normal)):
            return None
        kept_features = []
        for flag, offset, what in features:
            if not (_text(flag) and _count(offset, size) and _text(what)):
                return None
            kept_features.append((flag, offset, what))
        kept_selectors = []
        for metric, matchers, start, end in selectors:
            if not (_text(metric) and isinstance(matchers, list) and _count(start, size) and _count(end, size)
                    and start <= end):
                return None
            pairs = []
            for name, op, value in matchers:
                if not (_text(name) and op in ("=", "!=", "=~", "!~") and _text(value)):
                    return None
                pairs.append((name, op, value))
            kept_selectors.append(selector_type(metric, tuple(pairs), start, end))
        return analysis_type(None, tuple(kept_features), tuple(kept_selectors), normal)
    except (TypeError, ValueError):  # wrong length or not a list: unpacking fails
        return None


def _text(value) -> bool:
    return isinstance(value, str)


def _count(value, limit: int) -> bool:
    return type(value) is int and 0 <= value <= limit
