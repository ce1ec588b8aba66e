"""axe-core on every page type of the example site: light and dark, laptop and phone.

No serious or critical violation may come from runbookgen's own nodes (the page content its templates
write, and its rb- elements). What the theme itself still gets wrong is written to
test-output/axe-theme.json for a person to read (docs/accessibility.md says what is left and why).
"""

from __future__ import annotations

import json

import pytest

from browser_helpers import AXE, OUTPUT, PAGE_TYPES, VIEWPORTS, axe_violations, wait_until_ready

theme_findings: dict[str, list] = {}


@pytest.fixture(scope="module", autouse=True)
def axe_installed():
    if not AXE.is_file():
        pytest.skip(f"{AXE} missing: scripts/test.sh installs axe-core with npm")
    yield
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "axe-theme.json").write_text(json.dumps(theme_findings, indent=1, sort_keys=True) + "\n")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_from_runbookgen(open_page, example, scheme, viewport):
    # bypass_csp: the audit is injected as a script, which the pages' own policy (tested elsewhere) forbids
    page, _ = open_page(viewport=VIEWPORTS[viewport], color_scheme=scheme, is_mobile=viewport == "phone",
                        bypass_csp=True)
    ours = []
    for kind, target in PAGE_TYPES.items():
        assert (example.site / target).is_file(), target
        page.goto(example.server.url(target))
        wait_until_ready(page)
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        ours += [f"{kind} ({target}): {v['rule']} at {v['target']}: {v['html']}\n  {v['summary']}"
                 for v in found if v["ours"]]
        theirs = [v for v in found if not v["ours"]]
        if theirs:
            theme_findings[f"{scheme} {viewport} {target}"] = theirs
    assert ours == [], "\n".join(ours)


def test_the_check_finds_a_violation_when_there_is_one(open_page, example):
    """The check itself: a link without text and white on orange text in the content are found, and counted
    as runbookgen's."""
    page, _ = open_page(bypass_csp=True)
    page.goto(example.server.url("alerts/checkoutdown.html"))
    wait_until_ready(page)
    page.evaluate("""() => {
      const p = document.createElement('p');
      p.innerHTML = '<a href="#x"></a><span class="rb-badge" style="background:#e65100;color:#fff">P1</span>';
      document.querySelector('article').appendChild(p);
    }""")
    rules = {v["rule"] for v in axe_violations(page) if v["ours"]}
    assert {"link-name", "color-contrast"} <= rules, rules
