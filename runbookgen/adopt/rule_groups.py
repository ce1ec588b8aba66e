"""The settings of the rule groups alerts come from (interval, limit, ...), for import to record.

The rule readers keep each rule's group name; what else a group says (its
evaluation interval, Thanos' ``partial_response_strategy``, a ``limit``, a
``query_offset``, group ``labels``) is read here, only for the files import
makes stubs from, so that export-rules can write the groups back as they were.
"""

from __future__ import annotations

from runbookgen.rules.yamlevents import PosList, PosMap, YamlSyntaxError, read_documents
from runbookgen.yamlsource import read_text

SETTINGS = ("interval", "query_offset", "limit", "partial_response_strategy", "labels")


def group_settings(files) -> dict[tuple[str, str], dict]:
    """(file as shown, group name) -> {setting: value} for every group in ``files`` with a name."""
    found: dict[tuple[str, str], dict] = {}
    for shown in sorted(set(files)):
        try:
            documents = read_documents(read_text(shown))
        except (YamlSyntaxError, Exception):  # the readers reported this file already; nothing to add
            continue
        for document in documents:
            for groups in _group_lists(document.data):
                for group in groups:
                    if isinstance(group, PosMap) and isinstance(group.get("name"), str):
                        found.setdefault((shown, group["name"]), _settings(group))
    return found


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
