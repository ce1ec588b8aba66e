"""The settings of the rule groups alerts come from (interval, limit, ...), for import to record.

The rule readers keep each rule's group name; what else a group says (its
evaluation interval, Thanos' ``partial_response_strategy``, a ``limit``, a
``query_offset``, group ``labels``) is read here, only for the files import
makes stubs from, so that export-rules can write the groups back as they were.
"""

from __future__ import annotations

from runbookgen.rulers import VMALERT_GROUP, VMALERT_RULE
from runbookgen.yamlread.files import read_text
from runbookgen.yamlread.build import read_documents
from runbookgen.yamlread.values import PosList, PosMap

SETTINGS = ("interval", "query_offset", "limit", "partial_response_strategy", "labels")


def group_settings(files) -> dict[tuple[str, str], dict]:
    """(file as shown, group name) -> {setting: value} for every group in ``files`` with a name."""
    found: dict[tuple[str, str], dict] = {}
    for shown, group in _named_groups(files):
        found.setdefault((shown, group["name"]), _settings(group))
    return found


def _named_groups(files):
    """(file as shown, group) for every group with a name in ``files``, each file read once, in path order."""
    for shown in sorted(set(files)):
        try:
            documents = read_documents(read_text(shown), shown)
        except Exception:  # the readers reported this file already; nothing to add
            continue
        for document in documents:
            for groups in _group_lists(document.data):
                for group in groups:
                    if isinstance(group, PosMap) and isinstance(group.get("name"), str):
                        yield shown, group


def _group_lists(data):
    if not isinstance(data, PosMap):
        return
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), PosList):
        for item in data["items"]:
            yield from _group_lists(item)
        return
    holder = data.get("spec") if kind is not None else data
    if isinstance(holder, PosMap) and isinstance(holder.get("groups"), PosList):
        yield holder["groups"]


def _settings(group: PosMap) -> dict:
    settings = {}
    for key in SETTINGS:
        value = group.get(key)
        if key == "labels":
            if isinstance(value, PosMap) and value and all(isinstance(v, str) for v in value.values()):
                settings[key] = dict(value)
        elif key == "limit":
            if isinstance(value, str) and value.isdigit():
                settings[key] = int(value)
        elif key == "partial_response_strategy":
            if value in ("warn", "abort"):
                settings[key] = value
        elif isinstance(value, str) and value:
            settings[key] = value
    return settings


def ruler_keys(files) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str, str, str], dict]]:
    """vmalert's own keys, as plain data, for export-rules to write them back (the inventory has no place for
    them): (file as shown, group name) -> the group's (``rulers.VMALERT_GROUP``), and (file, group, alert name,
    expr) -> an alerting rule's (``rulers.VMALERT_RULE``: ``debug``, ``update_entries_limit``)."""
    found: dict[tuple[str, str], dict] = {}
    rules: dict[tuple[str, str, str, str], dict] = {}
    for shown, group in _named_groups(files):
        keys = {k: _typed(k, _plain(v)) for k, v in group.items() if k in VMALERT_GROUP and v is not None}
        found.setdefault((shown, group["name"]), keys)
        for rule in group.get("rules") or () if isinstance(group.get("rules"), PosList) else ():
            if isinstance(rule, PosMap) and isinstance(rule.get("alert"), str) \
                    and isinstance(rule.get("expr"), str):
                own = {k: _typed(k, v) for k, v in rule.items() if k in VMALERT_RULE}
                if own:
                    rules[(shown, group["name"], rule["alert"], rule["expr"].strip("\n"))] = own
    return found, rules


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _typed(key: str, value):
    """vmalert's number and yes/no keys as the YAML types vmalert reads (the readers keep scalars as text)."""
    if key in ("concurrency", "update_entries_limit") and isinstance(value, str) \
            and value.lstrip("-").isdigit():
        return int(value)
    if key in ("debug", "eval_alignment") and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
