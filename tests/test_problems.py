"""Where a problem is: the line and column of an offset, the same for text and for bytes."""

import pytest

from runbookgen.problems import line_col


@pytest.mark.parametrize("text, offset, where", [
    ("abc", 0, (1, 1)), ("abc", 2, (1, 3)), ("abc", 3, (1, 4)),
    ("a\nbc", 1, (1, 2)), ("a\nbc", 2, (2, 1)), ("a\nbc", 3, (2, 2)),
    ("\n\n", 2, (3, 1)), ("x\r\ny", 3, (2, 1)),
])
def test_line_and_column_count_from_one(text, offset, where):
    assert line_col(text, offset) == where
    assert line_col(text.encode("ascii"), offset) == where


def test_bytes_count_bytes_and_text_counts_characters():
    assert line_col("é\nx", 3) == (2, 2)
    assert line_col("é\nx".encode("utf-8"), 3) == (2, 1)
