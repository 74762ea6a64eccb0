"""The editors' queue of new submissions and its actions (desk reject with a reason, send
to peer review). Thin: load the submission, ask the service (which asks the workflow table),
tell the author, redirect."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.editorial import services
from frontiers_de.editorial.notifications import send_decision_to_author
from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.i18n import _
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash

EDIT = Permission.EDIT


def _t(request: Request, message: Any) -> str:
    return request.localizer.translate(message)


@view_config(
    route_name="editorial.queue",
    request_method="GET",
    renderer="editorial/queue.html",
    permission=EDIT,
)
def queue(request: Request) -> dict[str, Any]:
    if request.journal is None:
        raise HTTPNotFound()
    return {
        "entries": services.new_submissions(request.db, request.journal.id, request.user),
        "min_reason": services.MIN_REASON_LENGTH,
    }


@view_config(route_name="editorial.act", request_method="POST", permission=EDIT)
def act(request: Request) -> Response:
    if request.journal is None:
        raise HTTPNotFound()
    submission = services.queue_submission(
        request.db, int(request.matchdict["submission_id"]), request.journal.id
    )
    action = request.matchdict["action"]
    if submission is None or action not in services.QUEUE_ACTIONS:
        raise HTTPNotFound()
    back = HTTPFound(request.route_path("editorial.queue"))
    try:
        services.act(request.db, submission, action, request.user, request.POST.get("reason", ""))
    except services.EditorialError as exc:
        flash(request, _t(request, exc.message), "error")
        return back
    except TransitionNotAllowed:
        flash(
            request,
            _t(request, _("This is no longer possible: the submission has moved on.")),
            "error",
        )
        return back
    send_decision_to_author(request, submission, action)
    done = {
        "desk_reject": _("Submission ${id} is rejected; the author is told why."),
        "send_to_review": _("Submission ${id} is sent to peer review; the author is told."),
    }[action]
    flash(request, _t(request, _(done, mapping={"id": submission.id})), "success")
    return back
