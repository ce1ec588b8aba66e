"""An explicit tag that cannot hold the text (`!!int ""`, `!!bool maybe`) is a schema problem, not a crash.

PyYAML's constructors raise IndexError or KeyError on such values; the reader keeps the text as
written, and the schema then says what is wrong where it is written.
"""

from __future__ import annotations

import pytest

from support import FIXTURES


@pytest.mark.parametrize("value", ['!!int ""', "!!bool maybe", '!!float ""', "!!int 1x"])
def test_an_impossible_explicit_tag_is_reported_not_a_traceback(cli, tmp_path, value):
    text = (FIXTURES / "minimal" / "runbooks.yaml").read_text()
    assert "    severity: critical\n" in text
    (tmp_path / "runbooks.yaml").write_text(text.replace("    severity: critical\n",
                                                         f"    severity: critical\n    for: {value}\n", 1))
    result = cli("validate", "-i", "runbooks.yaml", cwd=tmp_path)
    assert result.code == 2, result
    assert "Traceback" not in result.err + result.out
    line = text.splitlines().index("    severity: critical") + 2
    assert f"runbooks.yaml:{line}:10: " in result.err + result.out, result
