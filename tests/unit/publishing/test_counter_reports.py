"""COUNTER R5 title and item reports: the header block, the columns, one row per metric
type, month columns, totals, and the month range's errors."""

from __future__ import annotations

import datetime as dt

import pytest

from frontiers_de.publishing import counter_reports as reports
from frontiers_de.publishing.usage import MonthlyFigures

CREATED = dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC)
SPAN = reports.MonthRange("2026-11", "2027-01")
JOURNAL = reports.JournalFacts(
    "Frontiers of Digital Education", "FDE Press", "2999-0002", "2999-0001", "https://x.org/"
)
FIGURES = {
    1: MonthlyFigures(1, {("2026-11", "view"): 10, ("2026-11", "pdf"): 3, ("2027-01", "xml"): 1}),
    2: MonthlyFigures(2, {("2026-12", "view"): 20}),
}
ITEMS = [
    reports.ItemFacts(1, "=cmd()|' A", "Wang, Li", "2026-03-15", "10.5555/a", "https://x.org/a"),
    reports.ItemFacts(2, "B", "Okafor, Ada", "2026-05-01", "10.5555/b", "https://x.org/b"),
    reports.ItemFacts(3, "Never read", "", "2026-05-01", "10.5555/c", "https://x.org/c"),
]


def _check_header(rows, report_id):
    keys = [row[0] for row in rows[:12]]
    assert keys == [
        "Report_Name", "Report_ID", "Release", "Institution_Name", "Institution_ID",
        "Metric_Types", "Report_Filters", "Report_Attributes", "Exceptions",
        "Reporting_Period", "Created", "Created_By",
    ]  # fmt: skip
    assert rows[1][1] == report_id and rows[2][1] == "5"
    assert rows[9][1] == "Begin_Date=2026-11-01; End_Date=2027-01-31"
    assert rows[10][1] == "2026-12-03T19:00:00Z"
    assert rows[12] == []


def test_title_report():
    rows = reports.title_report(JOURNAL, list(FIGURES.values()), SPAN, CREATED)
    _check_header(rows, "TR")
    heading = rows[13]
    assert heading[0] == "Title" and heading[-4:] == [
        "Reporting_Period_Total",
        "Nov-2026",
        "Dec-2026",
        "Jan-2027",
    ]
    investigations, requests = rows[14:]
    assert investigations[heading.index("Metric_Type")] == "Total_Item_Investigations"
    assert investigations[-4:] == [34, 13, 20, 1]
    assert requests[heading.index("Metric_Type")] == "Total_Item_Requests"
    assert requests[-4:] == [4, 3, 0, 1]
    assert investigations[heading.index("Online_ISSN")] == "2999-0001"


def test_item_report_rows_per_item_and_metric_most_used_first():
    rows = reports.item_report(JOURNAL, ITEMS, FIGURES, SPAN, CREATED)
    _check_header(rows, "IR")
    heading = rows[13]
    body = rows[14:]
    assert len(body) == 4  # the unread article has no rows
    item, metric = heading.index("Item"), heading.index("Metric_Type")
    assert [(r[item], r[metric]) for r in body] == [
        ("B", "Total_Item_Investigations"),
        ("B", "Total_Item_Requests"),
        ("=cmd()|' A", "Total_Item_Investigations"),
        ("=cmd()|' A", "Total_Item_Requests"),
    ]
    assert body[2][-4:] == [14, 13, 0, 1]
    assert body[3][-4:] == [4, 3, 0, 1]
    assert body[0][heading.index("DOI")] == "10.5555/b"
    assert body[0][heading.index("YOP")] == "2026"
    assert all(len(r) == len(heading) for r in body)


def test_tsv_is_tab_separated_and_safe():
    text = reports.to_tsv(reports.item_report(JOURNAL, ITEMS, FIGURES, SPAN, CREATED))
    lines = text.split("\r\n")
    assert lines[0] == "Report_Name\tItem Master Report"
    assert lines[12] == ""
    assert "\t'=cmd()|' A\t" not in text and lines[16].startswith("'=cmd()")


def test_month_ranges():
    today = dt.date(2026, 12, 3)
    assert reports.parse_range("", "", today) == reports.MonthRange("2026-01", "2026-12")
    assert reports.parse_range("2026-02", "", today) == reports.MonthRange("2026-02", "2026-02")
    assert reports.MonthRange("2024-02", "2024-02").end_date == "2024-02-29"
    assert reports.month_heading("2026-03") == "Mar-2026"
    for begin, end in (
        ("2026-13", "2026-12"),
        ("x", ""),
        ("2026-05", "2026-04"),
        ("2000-01", "2026-01"),
    ):
        with pytest.raises(reports.ReportError):
            reports.parse_range(begin, end, today)
