"""The journal's usage as COUNTER Release 5 reports, tab-separated: the title report (TR,
the journal as one title) and the item report (IR, one article per row group).

Each report starts with COUNTER's header block (rows 1-12: ``Report_Name``, ``Report_ID``,
``Release``, ``Institution_Name``, ``Institution_ID``, ``Metric_Types``, ``Report_Filters``,
``Report_Attributes``, ``Exceptions``, ``Reporting_Period``, ``Created``, ``Created_By``),
then a blank row, then the column headings and one row per item and metric type, with the
reporting period's total and one column per month (``Mmm-yyyy``).

Metric types: ``Total_Item_Investigations`` (page views and downloads: every use is an
investigation) and ``Total_Item_Requests`` (downloads of the full text, PDF or XML). The
``Unique_*`` metrics need a user's session across a day, which the counter does not keep
(no personal data), so they are left out and the ``Exceptions`` row says so in words
(COUNTER's numbered exceptions are for a server's errors, none of which this is).

Pure functions: the figures and the articles' facts in, rows out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from frontiers_de.i18n import _
from frontiers_de.publishing.usage import DOWNLOADS, KINDS, MonthlyFigures

INVESTIGATIONS = "Total_Item_Investigations"
REQUESTS = "Total_Item_Requests"
METRICS = (INVESTIGATIONS, REQUESTS)
PLATFORM = "FDE Press"
MAX_MONTHS = 120
EXCEPTION = "Unique_Item metrics not reported: no user sessions are kept"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ReportError(ValueError):
    """A month range that cannot be reported (``args[0]``: the translatable message)."""


@dataclass(frozen=True)
class MonthRange:
    first: str  # YYYY-MM
    last: str

    @property
    def months(self) -> list[str]:
        year, month = int(self.first[:4]), int(self.first[5:])
        out = []
        while f"{year:04d}-{month:02d}" <= self.last:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    @property
    def begin_date(self) -> str:
        return f"{self.first}-01"

    @property
    def end_date(self) -> str:
        year, month = int(self.last[:4]), int(self.last[5:])
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return (following - dt.timedelta(days=1)).isoformat()


def parse_month(value: str | None, first: bool) -> str:
    text = (value or "").strip()
    found = _MONTH.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        message = (
            _("The first month must be given as YYYY-MM, such as 2026-01.")
            if first
            else _("The last month must be given as YYYY-MM, such as 2026-12.")
        )
        raise ReportError(message)
    return text


def parse_range(begin: str | None, end: str | None, today: dt.date) -> MonthRange:
    """The months asked for (``YYYY-MM`` each, both included); without them, the current
    year up to this month."""
    if not (begin or "").strip() and not (end or "").strip():
        return MonthRange(f"{today.year:04d}-01", today.strftime("%Y-%m"))
    first = parse_month(begin, True)
    last = parse_month(end or begin, False)
    if last < first:
        raise ReportError(_("The last month comes before the first."))
    span = MonthRange(first, last)
    if len(span.months) > MAX_MONTHS:
        raise ReportError(_("At most ${n} months fit in one report.", mapping={"n": MAX_MONTHS}))
    return span


def month_heading(month: str) -> str:
    """``2026-03`` as COUNTER heads its column: ``Mar-2026``."""
    return f"{_MONTH_NAMES[int(month[5:]) - 1]}-{month[:4]}"


@dataclass(frozen=True)
class JournalFacts:
    title: str
    publisher: str
    print_issn: str = ""
    online_issn: str = ""
    uri: str = ""


@dataclass(frozen=True)
class ItemFacts:
    """What the item report says of one article."""

    article_id: int
    title: str
    authors: str
    published: str  # YYYY-MM-DD
    doi: str
    uri: str


def _metric_counts(figures: MonthlyFigures | None, months: Sequence[str]) -> dict[str, list[int]]:
    counts = figures.counts if figures is not None else {}
    return {
        INVESTIGATIONS: [sum(counts.get((m, k), 0) for k in KINDS) for m in months],
        REQUESTS: [sum(counts.get((m, k), 0) for k in DOWNLOADS) for m in months],
    }


def _header(
    name: str, report_id: str, span: MonthRange, attributes: str, created: dt.datetime
) -> list[list[str]]:
    period = f"Begin_Date={span.begin_date}; End_Date={span.end_date}"
    return [
        ["Report_Name", name],
        ["Report_ID", report_id],
        ["Release", "5"],
        ["Institution_Name", ""],
        ["Institution_ID", ""],
        ["Metric_Types", "; ".join(METRICS)],
        ["Report_Filters", f"{period}; Access_Type=OA_Gold; Access_Method=Regular"],
        ["Report_Attributes", attributes],
        ["Exceptions", EXCEPTION],
        ["Reporting_Period", period],
        ["Created", created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["Created_By", PLATFORM],
        [],
    ]


def title_report(
    journal: JournalFacts,
    figures: Sequence[MonthlyFigures],
    span: MonthRange,
    created: dt.datetime,
) -> list[list[str | int]]:
    """COUNTER's title report (TR) for the journal: one row per metric type."""
    months = span.months
    rows: list[list[str | int]] = list(
        _header(
            "Title Master Report",
            "TR",
            span,
            "Attributes_To_Show=Data_Type|Access_Type|Access_Method",
            created,
        )
    )
    rows.append(
        [
            "Title", "Publisher", "Publisher_ID", "Platform", "DOI", "Proprietary_ID",
            "Print_ISSN", "Online_ISSN", "URI", "Data_Type", "Access_Type", "Access_Method",
            "Metric_Type", "Reporting_Period_Total", *(month_heading(m) for m in months),
        ]
    )  # fmt: skip
    totals = {metric: [0] * len(months) for metric in METRICS}
    for item in figures:
        for metric, counts in _metric_counts(item, months).items():
            totals[metric] = [a + b for a, b in zip(totals[metric], counts, strict=True)]
    for metric in METRICS:
        rows.append(
            [
                journal.title, journal.publisher, "", PLATFORM, "", "",
                journal.print_issn, journal.online_issn, journal.uri,
                "Journal", "OA_Gold", "Regular", metric, sum(totals[metric]), *totals[metric],
            ]
        )  # fmt: skip
    return rows


def item_report(
    journal: JournalFacts,
    items: Sequence[ItemFacts],
    figures: dict[int, MonthlyFigures],
    span: MonthRange,
    created: dt.datetime,
) -> list[list[str | int]]:
    """COUNTER's item report (IR): two rows (one per metric type) for each article used in
    the period, most used first."""
    months = span.months
    rows: list[list[str | int]] = list(
        _header(
            "Item Master Report", "IR", span,
            "Attributes_To_Show=Authors|Publication_Date|Parent_Title|Data_Type|Access_Type|Access_Method",
            created,
        )
    )  # fmt: skip
    rows.append(
        [
            "Item", "Publisher", "Publisher_ID", "Platform", "Authors", "Publication_Date",
            "Article_Version", "DOI", "Proprietary_ID", "Print_ISSN", "Online_ISSN", "URI",
            "Parent_Title", "Parent_Data_Type", "Parent_Print_ISSN", "Parent_Online_ISSN",
            "Data_Type", "YOP", "Access_Type", "Access_Method", "Metric_Type",
            "Reporting_Period_Total", *(month_heading(m) for m in months),
        ]
    )  # fmt: skip
    body = []
    for item in items:
        counts = _metric_counts(figures.get(item.article_id), months)
        if not sum(counts[INVESTIGATIONS]):
            continue
        for metric in METRICS:
            body.append(
                [
                    item.title, journal.publisher, "", PLATFORM, item.authors, item.published,
                    "VoR", item.doi, f"{PLATFORM}:{item.article_id}", "", "", item.uri,
                    journal.title, "Journal", journal.print_issn, journal.online_issn,
                    "Article", item.published[:4], "OA_Gold", "Regular", metric,
                    sum(counts[metric]), *counts[metric],
                ]
            )  # fmt: skip
    return rows + _most_used_first(body, len(months))


def _most_used_first(body: list[list[str | int]], n_months: int) -> list[list[str | int]]:
    """Pairs of rows (investigations, requests) ordered by investigations, most first."""
    total_at = len(body[0]) - n_months - 1 if body else 0
    pairs = [body[i : i + 2] for i in range(0, len(body), 2)]
    pairs.sort(key=lambda pair: (-int(pair[0][total_at]), str(pair[0][0])))
    return [row for pair in pairs for row in pair]


def to_tsv(rows: Sequence[Sequence[str | int]]) -> str:
    """Tab-separated text, CR LF line ends; tabs and line breaks in a value become spaces
    and a value a spreadsheet would run as a formula gets a leading apostrophe."""
    out = []
    for row in rows:
        cells = []
        for value in row:
            text = " ".join(str(value).split()) if isinstance(value, str) else str(value)
            if isinstance(value, str) and text.startswith(("=", "+", "-", "@")):
                text = "'" + text
            cells.append(text)
        out.append("\t".join(cells))
    return "\r\n".join(out) + "\r\n"
