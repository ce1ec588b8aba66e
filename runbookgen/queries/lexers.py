"""A Pygments lexer for LogQL, Loki's query language (Pygments ships none).

Registered under the ``logql`` alias through the package's ``pygments.lexers``
entry point, so fenced ```logql blocks are highlighted on the site.
"""

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

_FUNCTIONS = (
    "rate", "count_over_time", "bytes_rate", "bytes_over_time", "absent_over_time", "sum_over_time",
    "avg_over_time", "max_over_time", "min_over_time", "first_over_time", "last_over_time",
    "stdvar_over_time", "stddev_over_time", "quantile_over_time", "rate_counter", "sum", "avg", "min", "max",
    "stddev", "stdvar", "count", "topk", "bottomk", "sort", "sort_desc", "vector", "label_replace",
    "approx_topk",
)
_STAGES = (
    "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format", "unwrap", "drop", "keep",
    "decolorize", "ip", "duration", "duration_seconds", "bytes",
)
_KEYWORDS = ("by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or",
             "unless")


class LogQLLexer(RegexLexer):
    name = "LogQL"
    aliases = ["logql"]
    filenames = ["*.logql"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (words(_FUNCTIONS, suffix=r"\b"), Name.Function),
            (words(_STAGES, prefix=r"(?<=\|)\s*", suffix=r"\b"), Name.Builtin),
            (words(_STAGES, suffix=r"\b"), Name.Builtin),
            (words(_KEYWORDS, suffix=r"\b"), Keyword),
            (r"\|=|\|~|!=|!~|=~|==|>=|<=|\|>|!>|[|=<>+\-*/%^]", Operator),
            (r"\[[0-9]+(ms|s|m|h|d|w|y)([0-9]+(ms|s|m|h|d|w|y))*\]", String.Other),
            (r'"(\\\\|\\"|[^"])*"', String.Double),
            (r"`[^`]*`", String.Backtick),
            (r"[0-9]+(\.[0-9]+)?(ms|s|m|h|d|w|y|[KMGT]i?B)?\b", Number),
            (r"[a-zA-Z_][a-zA-Z0-9_]*", Name.Variable),
            (r"[{}(),\[\]]", Punctuation),
            (r".", Punctuation),
        ],
    }
