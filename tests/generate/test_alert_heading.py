"""An alert page's heading holds the alert's name and severity badge, nothing else, whatever notice follows it.

A template comment that trimmed the white space around it once joined the next line to the heading: a draft's
notice and a kept-elsewhere runbook's link became part of the <h1>, and the link was lost."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from support import run_cli

URL = "https://github.com/example/runbooks/blob/main/alerts/Kept.md"
ALERTS = {
    "Plain": "",
    "Drafted": "    status: draft\n",
    "Retiring": "    status: deprecated\n",
    "Kept": f"    runbook_url: {URL}\n",
    "KeptDraft": f"    status: draft\n    runbook_url: {URL}\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("heading")
    entries = "".join(f"  - name: {name}\n    severity: critical\n    summary: The {name} summary.\n{extra}"
                      for name, extra in ALERTS.items())
    (root / "runbooks.yaml").write_text(f"version: 1\nservice:\n  name: shop\nalerts:\n{entries}")
    result = run_cli("build", cwd=root)
    assert result.code == 0, result
    return root / "site"


@pytest.mark.parametrize("name", sorted(ALERTS))
def test_the_heading_is_the_name_and_badge_and_the_notice_and_summary_follow_it(site, name):
    tree = HTMLParser((site / "alerts" / f"{name.lower()}.html").read_text(encoding="utf-8"))
    heading = tree.css_first("article h1")
    for anchor in heading.css("a.headerlink"):  # the theme's permalink
        anchor.decompose()
    assert heading.text(strip=True).replace("\u200b", "") == f"{name}Critical", heading.html
    assert [node.tag for node in heading.iter() if node.tag != "wbr"] == ["span"], heading.html  # the badge only
    article = tree.css_first("article").text(separator=" ")
    assert f"The {name} summary." in article
    summary = next(node for node in tree.css("article p") if f"The {name} summary." in node.text())
    assert summary.parent is not None and heading.html not in summary.html
    if ALERTS[name].count("runbook_url"):
        links = [a.attributes.get("href") for a in tree.css("article a")]
        assert URL in links, links
    if "draft" in ALERTS[name]:
        assert "Draft runbook" in article and "Draft runbook" not in heading.text()
    if "deprecated" in ALERTS[name]:
        assert "Deprecated" in article and "Deprecated" not in heading.text()
