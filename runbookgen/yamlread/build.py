"""Read every document of a text into values with positions: the entry to the value builder (see ``values``)."""

from __future__ import annotations

import yaml

from runbookgen.gcpause import cycle_collector_paused
from runbookgen.yamlread.events import YamlError, parser, reading_error
from runbookgen.yamlread.string_values import string_documents
from runbookgen.yamlread.typed_values import typed_documents
from runbookgen.yamlread.values import Document


def read_documents(text: str, file: str, *, typed: bool = False) -> list[Document]:
    """Every document of ``text``; raises YamlError at the first thing that cannot be read."""
    return list(documents(text, file, typed=typed))


def documents(text: str, file: str, *, typed: bool):
    """Each document of ``text`` as soon as it is read (the cycle collector paused meanwhile)."""
    loader = parser(text, file)
    try:
        with cycle_collector_paused():
            if typed:
                yield from typed_documents(loader.get_event, file)
            else:
                yield from string_documents(loader.get_event, file)
    except yaml.YAMLError as err:
        raise reading_error(err, text, file) from None
    finally:
        loader.dispose()


def reads_as(text: str, value) -> bool:
    """Whether ``text`` is one YAML document that reads, typed as the inventory is read, as exactly ``value``:
    how the adoption commands make sure that what they write means what they meant."""
    try:
        read = read_documents(text, "<text>", typed=True)
    except YamlError:
        return False
    return len(read) == 1 and not read[0].problems and read[0].data == value
