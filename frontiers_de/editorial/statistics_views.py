"""The journal's statistics page for its editors, and the same figures as CSV
(``/editorial/statistics?format=csv``: one route, the format chosen by the query). Thin: the
filters are read and the figures computed by ``editorial.statistics``; the charts are drawn
by ``editorial.charts``."""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import charts
from frontiers_de.editorial import statistics as stats
from frontiers_de.i18n import _, pgettext
from frontiers_de.i18n import translate as _t
from frontiers_de.responses import content_disposition
from frontiers_de.security.permissions import Permission
from frontiers_de.spreadsheet import to_csv

MONTHS = (
    pgettext("statistics", "Jan"),
    pgettext("statistics", "Feb"),
    pgettext("statistics", "Mar"),
    pgettext("statistics", "Apr"),
    pgettext("statistics", "May"),
    pgettext("statistics", "Jun"),
    pgettext("statistics", "Jul"),
    pgettext("statistics", "Aug"),
    pgettext("statistics", "Sep"),
    pgettext("statistics", "Oct"),
    pgettext("statistics", "Nov"),
    pgettext("statistics", "Dec"),
)


def _section_names(request: Request) -> dict[int, str]:
    zh = request.locale_name == "zh"
    return {s.id: (s.name_zh if zh and s.name_zh else s.name) for s in request.journal.sections}


def _charts(request: Request, figures: stats.Statistics, months: list[str]) -> dict[str, Any]:
    """The two monthly charts: submissions received, and the final decisions."""
    year = figures.filters.year
    label = {k: _t(request, v) for k, v in stats.LABELS.items()}
    # "10月11月12月" runs together on a phone: the Chinese axis gives the month's number.
    axis = [str(m) for m in range(1, 13)] if request.locale_name == "zh" else months
    received = charts.bar_chart(
        "chart-received",
        _t(request, _("Submissions received by month, ${year}", mapping={"year": year})),
        _t(
            request,
            _(
                "Bar chart: ${n} submissions received in ${year}; the table beside it gives "
                "the figure for each month.",
                mapping={"n": figures.total.received, "year": year},
            ),
        ),
        months,
        [charts.Series(label["received"], "bar-received", [c.received for c in figures.by_month])],
        axis,
    )
    decisions = charts.bar_chart(
        "chart-decisions",
        _t(request, _("Final decisions by month, ${year}", mapping={"year": year})),
        _t(
            request,
            _(
                "Bar chart: ${a} accepted, ${r} rejected after review and ${d} rejected "
                "without review in ${year}; the table beside it gives each month's figures.",
                mapping={
                    "a": figures.total.accepted,
                    "r": figures.total.rejected,
                    "d": figures.total.desk_rejected,
                    "year": year,
                },
            ),
        ),
        months,
        [
            charts.Series(label[f], f"bar-{f}", [getattr(c, f) for c in figures.by_month])
            for f in ("accepted", "rejected", "desk_rejected")
        ],
        axis,
    )
    return {"received_chart": received, "decisions_chart": decisions, "labels": label}


@view_config(
    route_name="editorial.statistics",
    request_method="GET",
    renderer="editorial/statistics.html",
    permission=Permission.EDIT,
)
def statistics_page(request: Request) -> Any:
    """Submissions, decisions, times and reviewers for a year and section; as CSV with
    ``format=csv``."""
    journal = request.context.journal
    today = utcnow().date()
    error = None
    try:
        filters = stats.parse_filters(
            journal, request.GET.get("year"), request.GET.get("section"), today
        )
    except stats.StatisticsError as exc:
        request.response.status_int = 400
        error = _t(request, exc.args[0])
        filters = stats.Filters(today.year)
    figures = stats.journal_statistics(request.db, journal, filters)
    names = _section_names(request)
    if request.GET.get("format") == "csv" and error is None:
        return _csv(request, figures, names)
    months = [_t(request, m) for m in MONTHS]
    return {
        "figures": figures,
        "filters": filters,
        "error": error,
        # a year asked for by address, before the first submission, is listed too
        "years": sorted({*stats.years(request.db, journal.id, today), filters.year}, reverse=True),
        "section_names": names,
        "months": months,
        "csv_query": {"year": filters.year, "section": filters.section_id or "", "format": "csv"},
        **_charts(request, figures, months),
    }


def _csv(request: Request, figures: stats.Statistics, names: dict[int, str]) -> Response:
    rows = stats.csv_rows(figures, names, lambda m: _t(request, m))
    suffix = f"-section-{figures.filters.section_id}" if figures.filters.section_id else ""
    response = Response(
        body=to_csv(rows).encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
    )
    response.headers["Content-Disposition"] = content_disposition(
        f"statistics-{figures.filters.year}{suffix}.csv"
    )
    response.cache_control = "private, no-store"
    return response
