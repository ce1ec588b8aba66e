"""Rule paths through the one glob expander: folders, globs, symbolic-link loops, hostile names."""

from __future__ import annotations

import os

import pytest

from runbookgen.rules.paths import expand
from runbookgen.rules.read import rule_files


def make(root, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("groups: []\n", encoding="utf-8")


def relative(found, root) -> list[str]:
    return [os.path.relpath(path, root) for path, _ in found]


def test_a_folder_is_walked_files_first_then_each_sub_folder(tmp_path):
    make(tmp_path, "rules/z.yaml", "rules/a/b.yml", "rules/a/c/d.rules", "rules/b.json", "rules/a/e.yaml",
         "rules/notes.md", "rules/.hidden.yaml", "rules/.git/x.yaml", "rules/b/f.yaml")
    found, why = expand("rules", str(tmp_path))
    assert why == ""
    assert relative(found, tmp_path) == ["rules/b.json", "rules/z.yaml", "rules/a/b.yml", "rules/a/e.yaml",
                                         "rules/a/c/d.rules", "rules/b/f.yaml"]
    assert all(named is False for _, named in found)


def test_symlink_loops_end_and_each_file_is_read_once_at_its_first_path(tmp_path):
    make(tmp_path, "rules/team/app.yaml", "rules/other/x.yaml")
    os.symlink("..", tmp_path / "rules" / "team" / "up")
    os.symlink("../..", tmp_path / "rules" / "team" / "top")
    os.symlink(".", tmp_path / "rules" / "self")
    os.symlink(tmp_path / "rules" / "other", tmp_path / "rules" / "a-link")  # a second way into one folder
    first = ["rules/a-link/x.yaml", "rules/team/app.yaml"]
    for pattern, expected in (("rules", first), ("rules/**", first), ("rules/**/*.yaml", first),
                              ("rules/*", ["rules/a-link/x.yaml", "rules/self/team/app.yaml"])):  # self/ < team/
        todo, unmatched = rule_files([pattern], str(tmp_path))
        assert unmatched == []
        assert sorted(os.path.relpath(path, tmp_path) for path, _, _ in todo) == expected, pattern


def test_a_fan_out_of_links_is_refused_with_a_reason_not_a_hang(tmp_path, monkeypatch):
    import runbookgen.pathglob as pathglob

    make(tmp_path, "rules/a.yaml", "level10/deep.yaml")
    for depth in range(10):  # each level links twice to the next: 2**10 ways down and no loop to stop them
        (tmp_path / f"level{depth}").mkdir(exist_ok=True)
        for n in range(2):
            os.symlink(tmp_path / f"level{depth + 1}", tmp_path / f"level{depth}" / f"l{n}")
    os.symlink(tmp_path / "level0", tmp_path / "rules" / "deep")
    monkeypatch.setattr(pathglob, "MAX_ENTRIES", 500)
    found, why = expand("rules/**/*.yaml", str(tmp_path))
    assert found == [] and "reaches more than" in why and "folder entries" in why
    found, why = expand("rules", str(tmp_path))
    assert found == [] and "reaches more than" in why


@pytest.mark.parametrize("folder", ["team[1]", "a*b?c", "[!x]", "sp ace", "ünï", "-dash", "new\nline"])
def test_a_base_folder_with_glob_characters_in_its_name_is_a_name(tmp_path, folder):
    """The inventory's folder is never read as a pattern (the standard glob read `team[1]` as `team1`)."""
    base = tmp_path / folder
    make(base, "rules/app.yaml", "rules/sub/more.yml")
    assert relative(expand("rules/*.yaml", str(base))[0], base) == ["rules/app.yaml"]
    assert relative(expand("rules/**/*.yml", str(base))[0], base) == ["rules/sub/more.yml"]
    assert relative(expand("rules", str(base))[0], base) == ["rules/app.yaml", "rules/sub/more.yml"]


def test_files_and_folders_with_hostile_names_are_found_by_a_walk(tmp_path):
    names = ["rules/[x].yaml", "rules/*.yaml", "rules/a?b.yml", "rules/new\nline.yaml", "rules/sp ace/ok.yaml",
             "rules/we*rd[/in.yaml", "rules/-rf.rules"]
    make(tmp_path, *names)
    found, why = expand("rules", str(tmp_path))
    assert why == "" and sorted(relative(found, tmp_path)) == sorted(names)
    found, _ = expand("rules/*", str(tmp_path))
    assert sorted(relative(found, tmp_path)) == sorted(names)


def test_what_matches_nothing_says_why(tmp_path):
    make(tmp_path, "rules/notes.md")
    assert expand("rules", str(tmp_path)) == ([], "folder 'rules' holds no .yml, .yaml, .rules or .json file")
    assert expand("rules/*.yaml", str(tmp_path)) == ([], "no file matches 'rules/*.yaml'")
    assert expand("nothing", str(tmp_path)) == ([], "no such file or folder: 'nothing'")
    assert expand("loki:rules/notes.md", str(tmp_path)) == ([(str(tmp_path / "rules/notes.md"), True)], "")
