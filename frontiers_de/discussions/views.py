"""A paper's discussions, from the editors' side (``/editorial/submissions/{id}/discussions``),
the author's (``/submissions/{id}/discussions``) and a reviewer's
(``/reviews/{assignment_id}/discussions``): the threads, a thread with its messages, the
forms that start a thread and reply, and the attachments.

The route's context lets in only whom the side is for (``resources``); a thread or an
attachment id of another paper, assignment or side answers 404 like one that is not there.
Thin: load, call one service, redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.discussions import access, services
from frontiers_de.discussions.models import DiscussionThread, Seat, ThreadKind
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.responses import ASSET_SECURITY_POLICY, file_response, stored_bytes
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions.services import max_upload_bytes
from frontiers_de.templating import flash


@dataclass(frozen=True)
class Side:
    seat: Seat
    prefix: str  # of the route names: editorial.discussions, submissions.discussion, …
    back_route: str  # the page the discussions belong to
    permission: Permission


SIDES = {
    side.prefix: side
    for side in (
        Side(Seat.EDITOR, "editorial", "editorial.review", Permission.EDIT),
        Side(Seat.AUTHOR, "submissions", "submissions.view", Permission.ACCOUNT),
        Side(Seat.REVIEWER, "review", "review.assignment", Permission.ACCOUNT),
    )
}


def on_every_side(route: str, **settings: Any) -> Callable[[Any], Any]:
    """``view_config`` for ``<side>.<route>`` of each side, with that side's permission."""

    def wrap(fn: Any) -> Any:
        for side in SIDES.values():
            fn = view_config(
                route_name=f"{side.prefix}.{route}",
                permission=side.permission,
                _depth=1,
                **settings,
            )(fn)
        return fn

    return wrap


def _side(request: Request) -> Side:
    return SIDES[request.matched_route.name.split(".", 1)[0]]


def _place(request: Request, side: Side) -> services.Place:
    context = request.context
    assignment = context.assignment if side.seat == Seat.REVIEWER else None
    return services.Place(context.submission, request.user, side.seat, assignment)


def _ids(place: services.Place) -> dict[str, int]:
    """The route's ids of the side's pages."""
    if place.assignment is not None:
        return {"assignment_id": place.assignment.id}
    return {"submission_id": place.submission.id}


def _thread(request: Request, place: services.Place) -> DiscussionThread:
    thread = request.db.get(DiscussionThread, int(request.matchdict["thread_id"]))
    if thread is None or not access.may_read(
        thread, place.submission, place.user, place.seat, place.assignment
    ):
        raise HTTPNotFound()
    return thread


def _uploads(request: Request) -> list[services.Upload]:
    limit = max_upload_bytes(request.registry.settings)
    out = []
    for upload in request.POST.getall("attachment"):
        if hasattr(upload, "file"):
            out.append((upload.filename or "", upload.file.read(limit + 1)))
    return out


def _common(request: Request, side: Side, place: services.Place) -> dict[str, Any]:
    return {
        "side": side.prefix,
        "seat": side.seat.value,
        "ids": _ids(place),
        "back_route": side.back_route,
        "submission": place.submission,
        "assignment": place.assignment,
        "kind_labels": {k.value: _t(request, v) for k, v in services.KIND_LABELS.items()},
        "seat_labels": {k.value: _t(request, v) for k, v in services.SEAT_LABELS.items()},
        "max_body": services.MAX_BODY,
        "max_subject": services.MAX_SUBJECT,
        "max_files": services.MAX_FILES,
        "accept": ",".join(sorted(services.ATTACHMENT_SUFFIXES)),
        "errors": {},
        "values": {},
    }


def _list_page(request: Request, **extra: Any) -> dict[str, Any]:
    side = _side(request)
    place = _place(request, side)
    choices = []
    if side.seat == Seat.EDITOR:
        choices = [
            (a.id, label) for a, label in services.reviewer_choices(request.db, place.submission)
        ]
    return {
        **_common(request, side, place),
        "threads": services.summaries(request.db, place),
        "reviewer_choices": choices,
        "kinds": [k.value for k in ThreadKind if k in access.KINDS_OF_SEAT[side.seat]],
        **extra,
    }


@on_every_side("discussions", request_method="GET", renderer="discussions/list.html")
def threads(request: Request) -> dict[str, Any]:
    return _list_page(request)


@on_every_side("discussions", request_method="POST", renderer="discussions/list.html")
def start(request: Request) -> Any:
    side = _side(request)
    place = _place(request, side)
    values = {
        k: str(request.POST.get(k, ""))[:50000]
        for k in ("kind", "assignment_id", "subject", "body")
    }
    try:
        thread = services.start_thread(
            request.db,
            request.storage,
            place,
            values["kind"],
            values["subject"],
            values["body"],
            _uploads(request),
            assignment_id=values["assignment_id"],
            max_bytes=max_upload_bytes(request.registry.settings),
        )
    except services.NotInDiscussion:
        raise HTTPNotFound() from None
    except services.DiscussionError as exc:
        request.response.status_int = 400
        return _list_page(
            request, values=values, errors={"__all__": _t(request, exc.message)}, opened=True
        )
    flash(
        request, _t(request, _("The discussion is started; its participants are told.")), "success"
    )
    return HTTPFound(
        request.route_path(f"{side.prefix}.discussion", thread_id=thread.id, **_ids(place))
    )


def _thread_page(request: Request, **extra: Any) -> dict[str, Any]:
    side = _side(request)
    place = _place(request, side)
    thread = _thread(request, place)
    reviewer, assignment = (None, None)
    if thread.kind == ThreadKind.REVIEWER:
        reviewer, assignment = services.thread_reviewer(request.db, thread)
    return {
        **_common(request, side, place),
        "thread": thread,
        "posts": services.open_thread(request.db, thread, place),
        "may_post": access.may_post(
            request.db, thread, place.submission, place.user, place.seat, place.assignment
        ),
        # for the editors: whom a reviewer thread is with, and whether they still review
        "reviewer": reviewer if side.seat == Seat.EDITOR else None,
        "reviewer_left": assignment is not None and not access.reviewer_takes_part(assignment),
        **extra,
    }


@on_every_side("discussion", request_method="GET", renderer="discussions/thread.html")
def thread_page(request: Request) -> dict[str, Any]:
    return _thread_page(request)


@on_every_side("discussion", request_method="POST", renderer="discussions/thread.html")
def post(request: Request) -> Any:
    side = _side(request)
    place = _place(request, side)
    thread = _thread(request, place)
    body = str(request.POST.get("body", ""))[: services.MAX_BODY + 1000]
    try:
        message = services.reply(
            request.db,
            request.storage,
            thread,
            place,
            body,
            _uploads(request),
            max_bytes=max_upload_bytes(request.registry.settings),
        )
    except services.NotInDiscussion:
        raise HTTPNotFound() from None
    except services.DiscussionError as exc:
        request.response.status_int = 400
        return _thread_page(
            request, values={"body": body}, errors={"__all__": _t(request, exc.message)}
        )
    flash(request, _t(request, _("Your message is sent.")), "success")
    path = request.route_path(f"{side.prefix}.discussion", thread_id=thread.id, **_ids(place))
    return HTTPFound(f"{path}#message-{message.id}")


@on_every_side("discussion_file", request_method="GET")
def attachment(request: Request) -> Response:
    """An attachment of the thread, always as a download: its checked type, ``nosniff``,
    a policy that runs nothing and no cache."""
    place = _place(request, _side(request))
    thread = _thread(request, place)
    row = services.attachment_of(request.db, thread, int(request.matchdict["attachment_id"]))
    if row is None:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, row.sha256)
    response = file_response(body, row.media_type, row.filename, private=True)
    response.headers["Content-Security-Policy"] = ASSET_SECURITY_POLICY
    return response
