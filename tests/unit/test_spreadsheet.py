"""CSV exports: RFC 4180 text whose cells no spreadsheet runs."""

from __future__ import annotations

import csv
import io

import pytest

from frontiers_de.spreadsheet import csv_cell, to_csv


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30", "'+49 30"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("中文 =", "中文 ="),
        (None, ""),
        (3, 3),
        (-2, -2),
        (2.5, 2.5),
        (True, "True"),
    ],
)
def test_a_cell_is_shown_as_written(value, cell):
    assert csv_cell(value) == cell


def test_rows_are_rfc_4180_and_read_back_unchanged_but_for_the_apostrophe():
    text = to_csv([["title", "n"], ['Say "hi", then\nleave', 1], ["=cmd|' /C calc'!A0", 2]])
    assert (
        text.endswith("\r\n") and text.count("\r\n") == 3
    )  # one per row: the quoted newline stays inside
    assert list(csv.reader(io.StringIO(text))) == [
        ["title", "n"],
        ['Say "hi", then\nleave', "1"],
        ["'=cmd|' /C calc'!A0", "2"],
    ]
