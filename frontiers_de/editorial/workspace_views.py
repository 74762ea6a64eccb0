"""The editor's workspace of one submission (``/editorial/submissions/{id}``). Thin: the
route's context lets in only the editors who may handle the paper (its authors and
reviewers get 404, whatever their roles); :mod:`frontiers_de.editorial.workspace`
assembles the page and the panels other parts add to it."""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.editorial import services, workspace
from frontiers_de.i18n import translate as _t
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions import services as submission_rules


@view_config(
    route_name="editorial.workspace",
    request_method="GET",
    renderer="editorial/workspace.html",
    permission=Permission.EDIT,
)
def workspace_page(request: Request) -> dict[str, Any]:
    submission = request.context.submission
    db, user = request.db, request.user
    panels = workspace.shown_panels(request.registry, db, submission, user)
    return {
        "submission": submission,
        "ws": workspace.build(db, submission, user),
        "panels": panels,
        "panel_stylesheets": workspace.stylesheets(panels),
        "min_reason": services.MIN_REASON_LENGTH,
        "review_mode_labels": {
            k.value: _t(request, v) for k, v in submission_rules.REVIEW_MODE_LABELS.items()
        },
    }
