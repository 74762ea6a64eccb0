"""CSV that spreadsheets open as written: the one rule for every export (the editors' lists,
the journal's statistics).

RFC 4180 text (CRLF line ends, fields quoted when they need it, quotes doubled), UTF-8, and
no cell a spreadsheet would run: text starting with a formula character (= + - @, tab,
carriage return) gets a leading apostrophe, OWASP's advice against CSV injection, so a
title such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One cell: numbers as numbers, None as empty, text made safe from formula injection."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` (the header first) as RFC 4180 text with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
