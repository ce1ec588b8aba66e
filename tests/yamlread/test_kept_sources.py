"""The kept inventory is keyed by the sources of every module of this package that reading an inventory uses."""

from __future__ import annotations

import subprocess
import sys

from runbookgen.inventory import kept


def test_every_module_the_inventory_reader_imports_keys_the_kept_inventory():
    listed = {name for package, names in kept._LOADER_SOURCES if package == "runbookgen.yamlread" for name in names}
    code = ("import sys, runbookgen.yamlread.document; "
            "print(' '.join(m.rsplit('.', 1)[1] + '.py' for m in sys.modules if m.startswith('runbookgen.yamlread.')))")
    used = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "typed_values.py" in used and used <= listed, sorted(used - listed)
