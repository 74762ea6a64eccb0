"""The handling editor of a submission: the editor-in-chief's page to assign (or change)
it, with who handled it before. Thin: the rules are ``editorial.handling``'s; the editor
assigned is emailed by the subscriber of ``HandlingEditorAssigned``."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.accounts.models import User
from frontiers_de.editorial import handling
from frontiers_de.editorial.services import EditorialError
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.journals.models import Section
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash


def _page(request: Request, **extra: Any) -> dict[str, Any]:
    submission = request.context.submission
    db = request.db
    current = db.get(User, submission.handling_editor_id) if submission.handling_editor_id else None
    section = db.get(Section, submission.section_id) if submission.section_id else None
    return {
        "submission": submission,
        "current": current,
        "section": section,
        "candidates": handling.candidates(db, submission),
        "history": handling.history(db, submission),
        "error": "",
        **extra,
    }


@view_config(
    route_name="editorial.handling",
    request_method="GET",
    renderer="editorial/handling.html",
    permission=Permission.MANAGE_EDITORS,
)
def handling_page(request: Request) -> dict[str, Any]:
    return _page(request)


@view_config(
    route_name="editorial.handling",
    request_method="POST",
    renderer="editorial/handling.html",
    permission=Permission.MANAGE_EDITORS,
)
def assign(request: Request) -> Any:
    submission = request.context.submission
    try:
        event = handling.assign(
            request.db, submission, request.user, str(request.POST.get("editor_id", ""))[:40]
        )
    except EditorialError as exc:
        request.response.status_int = 400
        return _page(request, error=_t(request, exc.message))
    if event is not None:
        editor = request.db.get(User, submission.handling_editor_id or 0)
        if editor is None:
            done = _("Submission ${id} has no handling editor now.", mapping={"id": submission.id})
        elif editor.id == request.user.id:
            done = _("You handle submission ${id} now.", mapping={"id": submission.id})
        else:
            done = _(
                "${name} handles submission ${id} now; they are emailed.",
                mapping={"name": editor.display_name, "id": submission.id},
            )
        flash(request, _t(request, done), "success")
    return HTTPFound(request.route_path("editorial.handling", submission_id=submission.id))
