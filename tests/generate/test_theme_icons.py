"""The theme's header, search and back-to-top icons are drawn by runbookgen.css, not written into every page;
a user's own theme overrides (custom_dir) still win over runbookgen's."""

from __future__ import annotations

import re
from pathlib import Path

from support import REPO, run_cli

THEME = REPO / "runbookgen" / "assets" / "theme"
INVENTORY = """version: 1
service: {name: Shop, team: shop-sre}
alerts:
  - name: ShopDown
    severity: critical
    summary: The shop is down.
    investigation: [Look.]
    mitigation: {immediate: [Restart.], short_term: [Scale.]}
"""


def _alert_page(site: Path) -> str:
    page = site / "alerts" / "shopdown.html"
    return (page if page.is_file() else site / "alerts" / "shopdown" / "index.html").read_text(encoding="utf-8")


def _build(folder: Path, mkdocs: str | None = None) -> Path:
    (folder / "runbooks.yaml").write_text(INVENTORY)
    if mkdocs:
        (folder / "mkdocs.yml").write_text(mkdocs)
    result = run_cli("build", cwd=folder)
    assert result.code == 0, result
    return folder / "site"


def test_pages_carry_empty_icons_that_the_stylesheet_draws(tmp_path):
    site = _build(tmp_path)
    page = _alert_page(site)
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", page, re.S)
    assert svgs and all(re.fullmatch(r'<svg class="rb-i rb-i-[a-z-]+" viewBox="0 0 24 24"></svg>', s) for s in svgs)
    css = (site / "assets" / "runbookgen" / "runbookgen.css").read_text(encoding="utf-8")
    for name in set(re.findall(r"rb-i-([a-z-]+)", page)):
        assert re.search(rf'\.rb-i-{name} {{ --rb-icon: url\("data:image/svg\+xml,[^"]+"\); }}', css), name
    assert not (site / ".icons").exists()  # theme overrides are templates, not files of the site


def test_the_users_custom_dir_still_wins(tmp_path):
    (tmp_path / "overrides" / "partials").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "toc-item.html").write_text('<li class="mine">{{ toc_item.title }}</li>\n')
    site = _build(tmp_path, "site_name: Shop\ntheme:\n  name: material\n  custom_dir: overrides\n")
    page = _alert_page(site)
    assert '<li class="mine">What it means</li>' in page
    assert 'class="rb-i rb-i-magnify"' in page  # and runbookgen's icons still apply where the user has none


def test_a_change_to_the_theme_files_is_a_change_to_the_engine():
    """Kept builds reuse pages while runbookgen's own files are unchanged (output/inputs.py): its theme files
    must count among them."""
    from runbookgen.output.inputs import _PACKAGE_SUFFIXES

    files = [p for p in THEME.rglob("*") if p.is_file()]
    assert files and all(p.name.endswith(_PACKAGE_SUFFIXES) for p in files)
