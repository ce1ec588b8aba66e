"""Alerts look their positions up in the loader's one table instead of copying them out: every lookup must
give what the loader recorded (exact path, else the alert's own position), before and after the compact form
kept between runs."""

from __future__ import annotations

import pickle

import pytest

from runbookgen.inventory import check_inventory, read_inventory
from runbookgen.inventory.positions import AlertPositions, PositionTable
from runbookgen.problems import Position

INVENTORY = """version: 1
service: {name: S, escalation: [{name: On-call}]}
include: [more.yaml]
alerts:
  - name: First
    severity: warning
    summary: first
    queries:
      - id: main
        title: Main
        expr: |
          sum(rate(x_total[5m]))
    investigation:
      - step: Look.
        query: main
      - Plain step
  - {name: Second, severity: critical, summary: 'second', related: [First], labels: {"1": one, yes: "true"}}
"""
INCLUDED = """alerts:
  - name: Third
    severity: warning
    summary: third
    mitigation: {immediate: [Roll back.]}
"""


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    (tmp_path / "more.yaml").write_text(INCLUDED)
    doc = read_inventory("runbooks.yaml")
    return doc, check_inventory(doc, "runbooks.yaml")


def _below(doc, index):
    return {path[2:]: pos for path, pos in doc.positions.items()
            if len(path) > 2 and path[:2] == ("alerts", index)}


def test_every_position_below_an_alert_is_found_where_the_loader_put_it(loaded):
    doc, inventory = loaded
    for index, alert in enumerate(inventory.alerts):
        expected = _below(doc, index)
        assert expected and dict(alert.positions.items()) == expected
        for keys, pos in expected.items():
            assert alert.where(*keys) == pos and alert.positions.get(keys) == pos
        assert alert.where("no", "such", 9) == alert.pos
    assert inventory.alerts[2].pos.file == "more.yaml" and inventory.alerts[2].where("summary").line == 4


def test_the_kept_form_gives_the_same_positions_and_decodes_only_when_asked(loaded):
    doc, inventory = loaded
    again = pickle.loads(pickle.dumps(inventory, protocol=pickle.HIGHEST_PROTOCOL))
    table = again.alerts[0].positions.table
    assert again.alerts[1].positions.table is table and table._table is None  # one table, not yet made
    for index, (alert, fresh) in enumerate(zip(again.alerts, inventory.alerts)):
        assert alert.positions == fresh.positions and alert.layouts == fresh.layouts
        for keys, pos in _below(doc, index).items():
            found = alert.where(*keys)
            assert found == pos and type(found) is Position
    assert again.alerts[0].where_in(("queries", 0, "expr"), 1, 3) == inventory.alerts[0].where_in(
        ("queries", 0, "expr"), 1, 3)


def test_a_kept_table_that_is_not_marshal_data_is_refused():
    from runbookgen.inventory import positions

    kept = pickle.loads(pickle.dumps(PositionTable({("a", 0): Position("f", 3, 4)})))
    assert kept.get(("a", 0)) == Position("f", 3, 4) and kept.get(("a",)) is None

    with pytest.raises(TypeError):
        positions._unpacked("not bytes")
    import marshal

    for shape in [((("a",),), ("f",), b"\x01\x00\x00\x00"),  # one number where a path needs three
                  ((("a",),), ("f",), b"\x05\x00\x00\x00" + b"\x01\x00\x00\x00" * 2),  # file 5 of 1
                  ((("a",),), (7,), b"\x00\x00\x00\x00" + b"\x01\x00\x00\x00" * 2),  # a file that is no name
                  ([("a",)], ("f",), b"\x00" * 12)]:
        with pytest.raises(ValueError):  # while the kept inventory is read: it is then loaded afresh
            positions._unpacked(marshal.dumps(shape))


def test_an_alert_made_without_a_table_still_answers():
    view = AlertPositions(PositionTable(), ("alerts", 0))
    assert view.get(("summary",), "here") == "here" and ("summary",) not in view
