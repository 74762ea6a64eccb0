"""The usage reports for editors: ``/editorial/usage`` shows the form (report and month
range); with ``report=tr`` or ``report=ir`` it answers COUNTER's title or item report as
TSV. Thin: the months are read and the rows built by :mod:`.counter_reports` from the
counts of :mod:`.usage`."""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.publishing import counter_reports as reports
from frontiers_de.publishing import services, usage
from frontiers_de.responses import file_response
from frontiers_de.security.permissions import Permission

REPORTS = ("tr", "ir")


@view_config(
    route_name="publishing.usage_report",
    request_method="GET",
    renderer="publishing/usage_report.html",
    permission=Permission.EDIT,
)
def usage_report(request: Request) -> Any:
    journal = request.context.journal
    today = utcnow().date()
    begin, end = request.GET.get("begin", ""), request.GET.get("end", "")
    kind = request.GET.get("report", "")
    error = None
    try:
        span = reports.parse_range(begin, end, today)
    except reports.ReportError as exc:
        error = _t(request, exc.args[0])
        span = reports.parse_range("", "", today)
    if kind and kind not in REPORTS:
        error = _t(request, _("Unknown report: choose the title report or the item report."))
    if error is not None:
        request.response.status_int = 400
    elif kind:
        return _tsv(request, journal, kind, span)
    figures = usage.monthly_counts(request.db, journal.id, span.first, span.last)
    counts = [(kind, n) for f in figures.values() for (_month, kind), n in f.counts.items()]
    return {
        "span": span,
        "begin": begin[:7] if error else span.first,
        "end": end[:7] if error else span.last,
        "error": error,
        "total_views": sum(n for kind, n in counts if kind == usage.VIEW),
        "total_downloads": sum(n for kind, n in counts if kind in usage.DOWNLOADS),
        "articles_used": len(figures),
    }


def _tsv(request: Request, journal: Any, kind: str, span: reports.MonthRange) -> Response:
    db = request.db
    site = request.application_url
    facts = reports.JournalFacts(
        title=journal.title,
        publisher=journal.publisher,
        print_issn=journal.issn_print,
        online_issn=journal.issn_online,
        uri=request.route_url("home"),
    )
    figures = usage.monthly_counts(db, journal.id, span.first, span.last)
    now = utcnow()
    if kind == "tr":
        rows = reports.title_report(facts, list(figures.values()), span, now)
    else:
        items = []
        for article in services.shown_articles(db, journal.id):
            if article.id not in figures:
                continue
            citation = services.article_citation(article, journal, site)
            items.append(
                reports.ItemFacts(
                    article_id=article.id,
                    title=citation.title,
                    authors="; ".join(p.inverted_name for p in citation.authors),
                    published=article.published_at.date().isoformat()
                    if article.published_at
                    else "",
                    doi=article.doi or "",
                    uri=citation.url,
                )
            )
        rows = reports.item_report(facts, items, figures, span, now)
    name = f"{journal.code}-{kind.upper()}-{span.first}-{span.last}.tsv"
    return file_response(reports.to_tsv(rows), "text/tab-separated-values", name, private=True)
