"""The site's address read from mkdocs.yml without mkdocs (engine/site_config.py) is what mkdocs' loader reads.

Commands that never build (lint, annotate, import) need only site_url and whether pages end in .html; a plain
mkdocs.yml is read by runbookgen's own YAML reader, anything else (tags, INHERIT, a byte-order mark, YAML
the reader refuses) by mkdocs' loader, which also words the errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from runbookgen.engine import material
from runbookgen.engine.site_config import SiteError, as_dict_list, plain_config, site_url_of
from support import REPO

CONFIGS = {
    "repo": (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
    "annotate": (REPO / "tests/adopt/fixtures/annotate/mkdocs.yml").read_text(encoding="utf-8"),
    "hostile": (REPO / "tests/hostile/site/mkdocs.yml").read_text(encoding="utf-8"),
    "minimal": "site_name: x\nsite_url: https://runbooks.example.com/\n",
    "directory urls off": "site_name: x\nsite_url: https://r.example.com/sub/\nuse_directory_urls: no\n",
    "offline as a mapping": "site_name: x\nsite_url: http://r\nplugins:\n  - search\n  - offline: {enabled: true}\n",
    "plugins as a dict": "site_name: x\nsite_url: http://r\nplugins:\n  search: {}\n  offline: {}\n",
    "anchors and merge keys": "base: &b {site_url: 'https://a.example/'}\n<<: *b\nsite_name: x\n",
    "duplicate key, the last wins": "site_name: x\nsite_url: https://one/\nsite_url: https://two/\n",
    "a number": "site_name: x\nsite_url: 8080\n",
    "null url": "site_name: x\nsite_url:\n",
    "non-ASCII": "site_name: Überwachung\nsite_url: https://bücher.example/runbooks/\n",
    "env tag": "site_name: x\nsite_url: !ENV [SITE_URL, 'https://fallback.example/']\n",
    "python tag": "site_name: x\nsite_url: https://t/\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                  "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    "byte-order mark": "\ufeffsite_name: x\nsite_url: https://bom.example/\n",
    "CRLF": "site_name: x\r\nsite_url: https://crlf.example/\r\nuse_directory_urls: false\r\n",
    "a bang in a value": "site_name: Hello!\nsite_url: https://bang.example/\n",
    "empty": "",
    "comment only": "# nothing yet\n",
}
BROKEN = {
    "a list": "- site_url: x\n",
    "syntax error": "site_name: x\nsite_url: [unclosed\n",
    "two documents": "site_name: x\n---\nsite_name: y\n",
    "a tab": "site_name: x\n\tsite_url: y\n",
}


def _mkdocs_reading(path: str) -> tuple[str, bool]:
    """What the engine read before: mkdocs' own loader, every time."""
    raw = material.read_user_config(path)
    html = not raw.get("use_directory_urls", True) or "offline" in as_dict_list(raw.get("plugins"))
    return str(raw.get("site_url") or ""), html


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_address_is_what_mkdocs_reads(tmp_path, monkeypatch, name):
    monkeypatch.setenv("SITE_URL", "https://from-env.example/")
    path = tmp_path / "mkdocs.yml"
    path.write_bytes(CONFIGS[name].encode("utf-8"))
    assert site_url_of(str(path)) == _mkdocs_reading(str(path))


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_what_mkdocs_refuses_is_refused_in_its_words(tmp_path, name):
    path = tmp_path / "mkdocs.yml"
    path.write_text(BROKEN[name], encoding="utf-8")
    assert plain_config(str(path)) is None
    with pytest.raises(SiteError) as ours:
        site_url_of(str(path))
    with pytest.raises(SiteError) as theirs:
        material.read_user_config(str(path))
    assert [str(p) for p in ours.value.problems] == [str(p) for p in theirs.value.problems]


def test_only_plain_yaml_takes_the_path_without_mkdocs(tmp_path):
    path = tmp_path / "mkdocs.yml"
    for name in ("minimal", "CRLF", "anchors and merge keys", "repo"):
        path.write_bytes(CONFIGS[name].encode("utf-8"))
        assert plain_config(str(path)) is not None, name
    for name in ("env tag", "python tag", "byte-order mark", "a bang in a value", "duplicate key, the last wins",
                 "empty"):
        path.write_bytes(CONFIGS[name].encode("utf-8"))
        assert plain_config(str(path)) is None, name
    (tmp_path / "base.yml").write_text("site_url: https://inherited.example/\n")
    path.write_text("INHERIT: base.yml\nsite_name: x\n")
    assert plain_config(str(path)) is None
    assert site_url_of(str(path)) == ("https://inherited.example/", False)


def test_lint_does_not_import_mkdocs(tmp_path):
    probe = ("import sys\nfrom runbookgen.cli import main\ntry:\n    main(['lint'], prog_name='runbookgen')\n"
             "except SystemExit:\n    pass\nprint('MKDOCS', sorted(m for m in sys.modules if m.split('.')[0] in "
             "('mkdocs', 'material')), file=sys.stderr)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert "alerting rules" in proc.stdout, proc
    assert proc.stderr.rsplit("MKDOCS", 1)[1].strip() == "[]", proc.stderr
