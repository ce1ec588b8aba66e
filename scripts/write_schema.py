"""Bring runbookgen/inventory/schema.json's lint block in line with the checks' option declarations."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from runbookgen.checks.options import write_schema  # noqa: E402

TARGET = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "runbookgen", "inventory",
                      "schema.json")

if __name__ == "__main__":
    print(("updated " if write_schema(TARGET) else "already up to date: ") + TARGET)
