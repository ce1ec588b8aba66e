"""Check an inventory document against the shipped JSON Schema.

Every schema error becomes a ``Problem`` at the line and column of the value
(or, for unknown keys, of the key itself), worded for the author rather than in
JSON Schema's vocabulary, with a "did you mean" hint where one helps.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from runbookgen.inventory.model import is_alert_name
from runbookgen.problems import Problem, did_you_mean
from runbookgen.yamlread.document import YamlDocument


_SHOWN_CHARS = 80
_TYPE_NAMES = {"string": "a string", "object": "a mapping", "array": "a list", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


@cache
def schema() -> dict:
    """The inventory JSON Schema (draft 2020-12), as shipped in the package."""
    text = resources.files("runbookgen.inventory").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def schema_text() -> str:
    return resources.files("runbookgen.inventory").joinpath("schema.json").read_text(encoding="utf-8")


@cache
def _validator():
    """The reference validator, which says what is wrong and where (``jsonschema``).

    The schema's ``$ref``s are inlined first: resolving them per value was half its time.
    """
    import jsonschema  # 0.07 s to import; only needed when the fast check finds something wrong

    cls = jsonschema.Draft202012Validator
    return cls(_inlined(schema(), schema()["$defs"]), format_checker=cls.FORMAT_CHECKER)


@cache
def _fast_validator():
    """A compiled validator (``jsonschema-rs``) that only answers valid or not, about 35 times faster.

    None when it cannot be imported (no wheel for this platform): the reference validator then does it all.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - depends on the platform's wheels
        return None
    return jsonschema_rs.Draft202012Validator(_inlined(schema(), schema()["$defs"]), validate_formats=True)


def fast_says_valid(data) -> bool:
    """True when the fast validator accepts ``data``; False means "ask the reference validator".

    Only its "valid" is trusted: its regular expressions and value conversions differ from Python's in
    corners (a trailing newline before ``$``, lone surrogates, keys that are not strings), so any other
    answer, or an error, is settled by the reference validator. tests/test_properties.py checks that
    nothing the fast validator accepts is refused by the reference one.
    """
    fast = _fast_validator()
    if fast is None:
        return False
    try:
        return fast.is_valid(data)
    except (ValueError, TypeError, OverflowError):
        return False


def is_valid(data) -> bool:
    """Whether ``data`` follows the schema."""
    return fast_says_valid(data) or _validator().is_valid(data)


def _inlined(node, defs: dict):
    if isinstance(node, dict):
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            target = _inlined(defs[node["$ref"].removeprefix("#/$defs/")], defs)
            return {**target, **{k: _inlined(v, defs) for k, v in node.items() if k != "$ref"}}
        return {k: _inlined(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inlined(v, defs) for v in node]
    return node


def describe_path(data, path) -> str:
    """``alerts[3].queries[0].expr`` with the alert's name where it has one: ``alert 'X': queries[0].expr``."""
    parts = list(path)
    prefix = ""
    if len(parts) >= 2 and parts[0] == "alerts" and isinstance(parts[1], int):
        alerts = data.get("alerts") if isinstance(data, dict) else None
        item = alerts[parts[1]] if isinstance(alerts, list) and parts[1] < len(alerts) else None
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and is_alert_name(name):  # a bad name is shown once, by its own message
            prefix = f"alert {name!r}"
            parts = parts[2:]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    if prefix:
        return f"{prefix}: {text}" if text else prefix
    return text or "inventory"


# When one value breaks several rules, the later ones say nothing new: an empty name also fails
# its pattern, and 01/02/2025 fails both the date pattern and the calendar check.
_IMPLIED_BY = {"pattern": ("minLength",), "format": ("pattern",)}


def schema_problems(doc: YamlDocument) -> list[Problem]:
    return schema_problems_and_paths(doc)[0]


def schema_problems_and_paths(doc: YamlDocument) -> tuple[list[Problem], list[tuple]]:
    """The schema's problems, and the data path of each failing value."""
    if fast_says_valid(doc.data):  # the common case, and the fast one
        return [], []
    errors = list(_validator().iter_errors(doc.data))
    failed = {(tuple(e.absolute_path), e.validator) for e in errors}
    problems = []
    for error in errors:
        path = tuple(error.absolute_path)
        if any((path, other) in failed for other in _IMPLIED_BY.get(error.validator, ())):
            continue
        if error.validator == "required" and _misspelt(error):
            continue  # "unknown key 'sumary' (did you mean 'summary'?)" already says it
        problems.extend(_to_problems(doc, error))
    return problems, [tuple(e.absolute_path) for e in errors]


def _misspelt(error) -> bool:
    """A missing required key that an unknown key of the same mapping is a close misspelling of."""
    missing = error.message.split("'")[1] if "'" in error.message else ""
    known = error.schema.get("properties", {})
    extras = [k for k in error.instance if k not in known] if isinstance(error.instance, dict) else []
    return any(did_you_mean(k, known) == f" (did you mean {missing!r}?)" for k in extras)


def _to_problems(doc: YamlDocument, error) -> list[Problem]:
    path = tuple(error.absolute_path)
    label = describe_path(doc.data, path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return [Problem(doc.where(path + (key,), key=True),
                        f"{label}: unknown key {key!r}{did_you_mean(key, allowed)}") for key in extras]
    where = doc.where(path)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [Problem(where, f"{label}: missing required key {missing!r}")]
    return [Problem(where, f"{label}: {_wording(error)}")]


def _wording(error) -> str:
    kind, value, rule = error.validator, error.instance, error.validator_value
    if kind == "type":
        wanted = [rule] if isinstance(rule, str) else list(rule)
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        return f"must be {names}, not {_describe_value(value)}"
    if kind == "enum":
        options = ", ".join(str(o) for o in rule)
        return f"{_shown(value)} is not one of: {options}{did_you_mean(value, rule)}"
    if kind == "const":
        return f"must be {rule!r}, not {_shown(value)}"
    if kind == "pattern":
        hint = error.schema.get("patternErrorMessage", f"must match {rule}")
        return f"{_shown(value)} {hint}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is {len(value)} characters long; the limit is {rule}"
    if kind == "format" and rule == "date":
        return f"{_shown(value)} is not a real calendar date (YYYY-MM-DD)"
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than",
                 "maximum": "at most", "exclusiveMaximum": "less than"}
        return f"must be {words[kind]} {rule}, not {value!r}"
    return error.message


def _describe_value(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean; quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return _shown(value)


def _shown(value) -> str:
    """``repr`` (one line, control characters escaped), cut short when long."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS - 4]}...{text[-1]}"
