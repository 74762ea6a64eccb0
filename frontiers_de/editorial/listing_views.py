"""Every submission in one list (``/editorial/submissions``) and its CSV export. Thin: read
the query, ask ``editorial.listing``, render; a filter that cannot be read is named on the
page (400) and left out."""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.editorial import listing
from frontiers_de.i18n import translate as _t
from frontiers_de.responses import file_response
from frontiers_de.security.permissions import Permission


@view_config(
    route_name="editorial.submissions",
    request_method="GET",
    renderer="editorial/submissions.html",
    permission=Permission.EDIT,
)
def submissions(request: Request) -> dict[str, Any]:
    db, journal = request.db, request.journal
    query, errors = listing.read_query(db, journal.id, request.GET)
    if errors.messages:
        request.response.status_int = 400
    result = listing.list_submissions(db, journal.id, request.user, query)
    return {
        "result": result,
        "overdue": {
            row.submission.id: [_t(request, label) for label in row.late] for row in result.rows
        },
        "errors": {k: _t(request, v) for k, v in errors.messages.items()},
        "states": listing.STATES,
        "sections": journal.sections,
        "editors": listing.editors_to_filter(db, journal.id),
        "sorts": listing.SORTS,
        "page_sizes": listing.PAGE_SIZES,
    }


@view_config(
    route_name="editorial.submissions_csv", request_method="GET", permission=Permission.EDIT
)
def submissions_csv(request: Request) -> Response:
    db, journal = request.db, request.journal
    query, _errors = listing.read_query(db, journal.id, request.GET)
    body = listing.export_csv(db, journal.id, request.user, query)
    response = file_response(body, "text/csv", f"{journal.code}-submissions.csv", private=True)
    response.content_type_params = {"charset": "utf-8", "header": "present"}
    return response
