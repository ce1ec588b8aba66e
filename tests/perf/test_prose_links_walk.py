"""The prose-link check walks only the texts that may hold a link: it must find exactly the texts, at
exactly the positions, that the full walk over every text of the inventory gives."""

from __future__ import annotations

from runbookgen.inventory import load_inventory
from runbookgen.inventory import prose_links

INVENTORY = """version: 1
service:
  name: Shop
  escalation:
    - name: On-call
alerts:
  - name: DiskFull
    severity: critical
    summary: Disk full, see [the procedure](procedures.md#clean)
    description: "Fill rate: [graph](https://grafana.example.com/d/x) and [missing](nowhere.md)"
    investigation:
      - Check [the other alert](alerts/memoryhigh.md)
      - step: Look at [a page that is not there](alerts/gone.md).
        command: df -h
    mitigation:
      immediate: ['Free space, as [the runbook](alerts/diskfull.md) says']
  - name: MemoryHigh
    severity: warning
    summary: No links here
    queries:
      - {id: main, title: Memory, expr: 'up', description: 'See [docs](missing/page.md)'}
"""


def test_the_link_walk_matches_the_full_walk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runbooks.yaml").write_text(INVENTORY)
    try:
        inventory = load_inventory("runbooks.yaml")
    except Exception as err:  # the dangling links are problems of the load: look at them there
        problems = getattr(err, "problems", None)
        assert problems, err
        shown = sorted((p.pos.line, p.message.split("'")[1]) for p in problems)
        assert shown == [(10, "nowhere.md"), (13, "alerts/gone.md"), (21, "missing/page.md")], shown
        from runbookgen.inventory import read_inventory
        from runbookgen.inventory.model import build_inventory

        inventory = build_inventory(read_inventory("runbooks.yaml"), "runbooks.yaml")
    full = [(text, where) for text, where in prose_links.inventory_texts(inventory)
            if prose_links._MAYBE_LINK.search(text)]
    assert len(full) >= 6
    assert list(prose_links._texts_with_links(inventory)) == full
