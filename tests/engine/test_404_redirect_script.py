"""The 404 page's redirect script: the site path from site_url, and configuration text that cannot end the script."""

from __future__ import annotations

import re

import pytest

from runbookgen.engine.errorpage import redirect_script, site_root_path


@pytest.mark.parametrize("site_url, root", [
    ("https://runbooks.example.com/checkout/", "/checkout/"),
    ("https://runbooks.example.com/checkout", "/checkout/"),
    ("https://runbooks.example.com", "/"),
    ("", "/"),
    (None, "/"),
])
def test_site_root_path(site_url, root):
    assert site_root_path(site_url) == root


def test_a_hostile_site_path_stays_a_string_inside_one_script():
    script = redirect_script("/a</script><script>alert(1)//'\"/")
    assert len(re.findall(r"</script", script, re.IGNORECASE)) == 1 and script.endswith("</script>")
    assert "<script>alert" not in script
