"""Adoption and round-trip: start an inventory, import the alerts that lack runbooks,
point rule files at the runbook pages, and write rule files from the inventory.

- ``scaffold``: ``runbookgen init``, the files a new inventory starts from.
- ``stubs`` and ``import_stubs``: ``runbookgen import``, a draft entry per alert without one.
- ``rule_edit`` and ``annotate``: ``runbookgen annotate``, ``runbook_url`` set in place.
- ``export``: ``runbookgen export-rules``, Prometheus and Loki rule files from the inventory.
"""
