"""The reviewer's pages: the emailed invitation (Accept / Decline through its token), My
reviews, one assignment with the manuscript and the review form, the files. Thin: load what
the user may see (else 404), call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.security import remember
from pyramid.view import view_config

from frontiers_de.accounts import forms as account_forms
from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import AccountService
from frontiers_de.db.meta import utcnow
from frontiers_de.forms import read_form, translate_errors
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.responses import file_response, link_not_usable, stored_bytes, token_link
from frontiers_de.review import assignments, services
from frontiers_de.review import deadlines as review_deadlines
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions.models import ManuscriptFile
from frontiers_de.submissions.services import max_upload_bytes
from frontiers_de.templating import flash
from frontiers_de.throttling.services import ThrottleScope

LINK_MESSAGES = {
    "invalid": (404, _("This invitation link is not valid. Please use the link in the email.")),
    "expired": (
        410,
        _("This invitation has expired. If you would still like to review, write to the editor."),
    ),
    "cancelled": (
        410,
        _("The editor has cancelled this invitation; there is nothing more to do. Thank you."),
    ),
    "used": (
        410,
        _(
            "This invitation has already been answered. Your reviews are listed under "
            "My reviews once you sign in."
        ),
    ),
}


def _invitation(request: Request) -> ReviewAssignment | Response:
    # A client that keeps sending links that do not work is guessing: it waits (HTTP 429).
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    try:
        return services.assignment_for_token(
            request.db, request.matchdict["token"], request.registry.settings
        )
    except services.InvitationLinkError as exc:
        request.throttle.record(ThrottleScope.LINK, request.client_addr)
        status, message = LINK_MESSAGES[exc.reason]
        return link_not_usable(request, _("Invitation link not usable"), message, status)


def _invitation_page(
    request: Request, assignment: ReviewAssignment, status: int = 200, **extra: Any
) -> Response:
    submission = services.submission_of(request.db, assignment)
    reviewer = request.db.get(User, assignment.reviewer_id)
    answer = request.params.get("answer")
    wrong_account = None
    try:
        services.check_link_visitor(assignment, request.user)
    except services.ReviewError as exc:
        wrong_account = _t(request, exc.message)
        status = 403
    response = render_to_response(
        "review/invitation.html",
        {
            "assignment": assignment,
            "submission": submission,
            "answer": answer if answer in ("accept", "decline") else "",
            "wrong_account": wrong_account,
            "choose_password": reviewer is not None and services.needs_password_to_accept(reviewer),
            "reviewer_email": reviewer.email if reviewer else "",
            "errors": {},
            "values": {},
            **extra,
        },
        request=request,
    )
    response.status_int = status
    return token_link(response)


@view_config(route_name="review.invitation", request_method="GET", permission=Permission.VIEW)
def invitation(request: Request) -> Response:
    """Opening the link changes nothing (mail scanners open links): the page asks."""
    assignment = _invitation(request)
    if isinstance(assignment, Response):
        return assignment
    return _invitation_page(request, assignment)


@view_config(route_name="review.invitation", request_method="POST", permission=Permission.VIEW)
def answer_invitation(request: Request) -> Response:
    """Accept (choosing a password in the same step when the account has none usable) or
    decline, by the emailed link."""
    assignment = _invitation(request)
    if isinstance(assignment, Response):
        return assignment
    action = request.POST.get("action")
    values = {k: str(request.POST.get(k, ""))[:2000] for k in ("reason", "suggestion")}
    new_password: str | None = None
    try:
        if action == "accept":
            reviewer = request.db.get(User, assignment.reviewer_id)
            if reviewer is not None and services.needs_password_to_accept(reviewer):
                form = read_form(request.POST, account_forms.RESET_FIELDS)
                account_forms.check_new_password(form, reviewer.email)
                if not form.ok:
                    return _invitation_page(
                        request,
                        assignment,
                        status=400,
                        errors=translate_errors(request, form.errors),
                        answer="accept",
                    )
                new_password = form.values["password"]
            reviewer = services.accept_by_link(
                request.db,
                assignment,
                request.user,
                accounts=AccountService.from_settings(
                    request.db, request.registry.settings, throttle=request.throttle
                ),
                new_password=new_password,
            )
        elif action == "decline":
            services.decline_by_link(
                request.db,
                assignment,
                request.user,
                request.POST.get("reason", ""),
                request.POST.get("suggestion", ""),
            )
        else:
            return _invitation_page(
                request,
                assignment,
                status=400,
                errors={"action": _t(request, _("Choose whether to accept or decline."))},
            )
    except services.ReviewError as exc:
        return _invitation_page(
            request,
            assignment,
            status=400,
            errors={"__all__": _t(request, exc.message)},
            values=values,
            answer=action if action in ("accept", "decline") else "",
        )
    if action == "accept" and new_password is not None:
        # The password was chosen just now, by the holder of the address: signed in.
        return _signed_in_to_review(request, assignment, reviewer)
    response = render_to_response(
        "review/invitation_done.html",
        {"accepted": action == "accept", "assignment": assignment},
        request=request,
    )
    return token_link(response)


def _signed_in_to_review(
    request: Request, assignment: ReviewAssignment, reviewer: User
) -> Response:
    """After accepting by the link with a new password: signed in, on to the manuscript."""
    headers = remember(request, reviewer.id)
    message = _(
        "Thank you for agreeing to review. Your password is set and you are signed in; "
        "the manuscript is below."
    )
    flash(request, _t(request, message), "success")
    return token_link(
        HTTPFound(
            request.route_path("review.assignment", assignment_id=assignment.id),
            headers=headers,
        )
    )


# --- the signed-in reviewer ------------------------------------------------------------------


@view_config(
    route_name="review.mine",
    request_method="GET",
    renderer="review/mine.html",
    permission=Permission.ACCOUNT,
)
def mine(request: Request) -> dict[str, Any]:
    now = utcnow()
    late = review_deadlines.overdue_assignments(request.db, request.journal.id, now)
    return {
        "items": services.my_assignments(request.db, request.user, request.journal.id),
        # What is late, by assignment id (the journal's deadline rules, the one engine).
        "late": {item_id: _t(request, d.label) for item_id, d in late.items()},
        "confirmed": services.may_use_reviewer_pages(request.user),
        "state_labels": {k: _t(request, v) for k, v in services.STATE_LABELS.items()},
    }


class _ConfirmFirst(Exception):
    """The account's address is unconfirmed: the reviewer's pages wait for the link."""


def _assignment(request: Request) -> ReviewAssignment:
    """The route's assignment (resources.AssignmentContext): its reviewer's alone, else 404."""
    assignment: ReviewAssignment = request.context.assignment
    if not services.may_use_reviewer_pages(request.user):
        raise _ConfirmFirst()
    return assignment


@view_config(context=_ConfirmFirst)
def confirm_first(exc: _ConfirmFirst, request: Request) -> Response:
    """An unconfirmed account asked for a reviewer's page: back to My reviews, which says
    how to confirm (the invitation link)."""
    flash(request, _t(request, services.CONFIRM_TO_REVIEW), "error")
    return HTTPFound(request.route_path("review.mine"))


def _assignment_page(
    request: Request, assignment: ReviewAssignment, **extra: Any
) -> dict[str, Any]:
    submission = services.submission_of(request.db, assignment)
    review = assignment.review
    files = services.assignment_files(request.db, assignment)
    return {
        "assignment": assignment,
        "submission": submission,
        "review": review,
        "attachment": services.attachment_of(request.db, review),
        "files": [
            (row, services.reviewer_filename(submission, row, n))
            for n, row in enumerate(files, start=1)
        ],
        "show_authors": not services.is_anonymous_to_reviewers(submission),
        "criteria": {k: _t(request, v) for k, v in services.CRITERIA.items()},
        "recommendations": {
            k.value: _t(request, v) for k, v in services.RECOMMENDATION_LABELS.items()
        },
        "state_labels": {k: _t(request, v) for k, v in services.STATE_LABELS.items()},
        # What the page offers is what the assignment table allows now.
        "moves": assignments.available(request.db, assignment, request.user),
        "reads_manuscript": services.may_read_manuscript(assignment),
        "editable": assignments.may(request.db, assignment, "save_draft", request.user),
        "values": services.review_values(review),
        "errors": {},
        **extra,
    }


@view_config(
    route_name="review.assignment",
    request_method="GET",
    renderer="review/assignment.html",
    permission=Permission.ACCOUNT,
)
def assignment_page(request: Request) -> dict[str, Any]:
    return _assignment_page(request, _assignment(request))


@view_config(
    route_name="review.assignment",
    request_method="POST",
    renderer="review/assignment.html",
    permission=Permission.ACCOUNT,
)
def save(request: Request) -> Any:
    assignment = _assignment(request)
    submit = request.POST.get("action") == "submit"
    if submit and request.POST.get("confirm") != "yes":
        request.response.status_int = 400
        return _assignment_page(
            request,
            assignment,
            values=_sent(request),
            errors={
                "confirm": _t(
                    request,
                    _("Tick the box to confirm: a submitted review cannot be changed."),
                )
            },
        )
    upload = request.POST.get("attachment")
    attachment = None
    limit = max_upload_bytes(request.registry.settings)
    if upload is not None and hasattr(upload, "file"):
        attachment = (upload.filename or "", upload.file.read(limit + 1))
    try:
        services.save_review(
            request.db,
            assignment,
            request.POST,
            submit=submit,
            storage=request.storage,
            attachment=attachment,
            max_bytes=limit,
        )
    except services.ReviewError as exc:
        request.response.status_int = 400
        return _assignment_page(
            request, assignment, values=_sent(request), errors={"__all__": _t(request, exc.message)}
        )
    if submit:
        message = _("Thank you: your review is submitted to the editor.")
    else:
        message = _("Your draft is saved. You can come back to it until you submit.")
    flash(request, _t(request, message), "success")
    return HTTPFound(request.route_path("review.assignment", assignment_id=assignment.id))


def _sent(request: Request) -> dict[str, str]:
    keys = ["recommendation", "comments_to_author", "comments_to_editor"]
    keys += [f"score_{k}" for k in services.CRITERIA]
    return {k: str(request.POST.get(k, ""))[: services.MAX_TEXT] for k in keys}


@view_config(route_name="review.answer", request_method="POST", permission=Permission.ACCOUNT)
def answer_signed_in(request: Request) -> Response:
    """Accept or decline from My reviews, for a reviewer who is signed in already."""
    assignment = _assignment(request)
    back = HTTPFound(request.route_path("review.assignment", assignment_id=assignment.id))
    action = request.POST.get("action")
    try:
        services.answer_signed_in(
            request.db,
            assignment,
            request.user,
            str(action or ""),
            request.POST.get("reason", ""),
            request.POST.get("suggestion", ""),
        )
    except services.ReviewError as exc:
        flash(request, _t(request, exc.message), "error")
        return back
    message = (
        _("Thank you for agreeing to review. The manuscript is below.")
        if action == "accept"
        else _("You have declined. Thank you for letting us know.")
    )
    flash(request, _t(request, message), "success")
    return back


@view_config(route_name="review.file", request_method="GET", permission=Permission.ACCOUNT)
def download(request: Request) -> Response:
    """A file of the manuscript (after accepting), or the reviewer's own attachment."""
    assignment = _assignment(request)
    submission = services.submission_of(request.db, assignment)
    file_id = int(request.matchdict["file_id"])
    filename = None
    # Only the files of the assignment's own round: a reviewer of round 1 does not open
    # the revision sent for round 2 by guessing its id.
    for n, row in enumerate(services.assignment_files(request.db, assignment), start=1):
        if row.id == file_id:
            filename = services.reviewer_filename(submission, row, n)
    own = services.attachment_of(request.db, assignment.review)
    if own is not None and own.id == file_id:
        filename = own.filename
    row = request.db.get(ManuscriptFile, file_id)
    if filename is None or row is None:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, row.sha256)
    return file_response(body, row.media_type, filename, private=True)
