"""A scalar whose tag runbookgen cannot read as its value (``!!binary``, ``!!timestamp``-free ``=``, ``!Ref``) is a
problem at its place, as PyYAML's SafeLoader refuses it too: it would otherwise be read as plain text."""

import pytest

from support import run_cli

from runbookgen.yamlread.build import read_documents, reads_as


@pytest.mark.parametrize("text, tag", [("k: =\n", "tag:yaml.org,2002:value"),
                                       ("k: !!binary aGk=\n", "tag:yaml.org,2002:binary"),
                                       ("k: !Ref other\n", "!Ref"),
                                       ("k: [!!python/name:os.system x]\n", "tag:yaml.org,2002:python/name:os.system")])
def test_an_unreadable_scalar_tag_is_a_problem_at_the_scalar(text, tag):
    problems = read_documents(text, "f.yaml", typed=True)[0].problems
    assert [str(p) for p in problems] == [f"f.yaml:1:{text.index(text.split(': ', 1)[1].lstrip('[')) + 1}: "
                                          f"unsupported YAML tag {tag!r}"]


def test_what_reads_back_is_what_any_yaml_reader_reads():
    assert reads_as("k: '='\n", {"k": "="}) and not reads_as("k: =\n", {"k": "="})
    assert reads_as("k: '2001-01-01'\n", {"k": "2001-01-01"}) and reads_as("k: yes\n", {"k": True})


def test_cli_names_the_tag(tmp_path):
    (tmp_path / "runbooks.yaml").write_text("version: 1\nservice: {name: x, team: !!binary eA==}\nalerts: []\n")
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2 and "runbooks.yaml:2:26: unsupported YAML tag 'tag:yaml.org,2002:binary'" in result.err + result.out
