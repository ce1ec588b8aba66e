def test_minimal_inventory_validates(cli, copy_fixture):
    folder = copy_fixture("minimal")
    result = cli("validate", cwd=folder)
    assert result.code == 0, result
    assert "runbooks.yaml: ok (2 alerts" in result.out
