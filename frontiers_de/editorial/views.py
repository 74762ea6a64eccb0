"""The editors' queue of new submissions and its actions (desk reject with a reason, send
to peer review). Thin: load the submission, ask the service (which asks the workflow table),
redirect; the people concerned are emailed by the subscribers of the events the services
announce (``editorial.notifications``, ``review.notifications``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines.engine import overdue_flags
from frontiers_de.deadlines.rules import DeadlineKind, journal_rule
from frontiers_de.editorial import finder_views, handling, letters, services, workflow, workspace
from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.mail import catalogue
from frontiers_de.mail.letters import MAX_BODY, placeholder
from frontiers_de.responses import file_response, stored_bytes
from frontiers_de.review import assignments
from frontiers_de.review import services as review_services
from frontiers_de.security.permissions import CHIEF, Permission
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import FileKind, ManuscriptFile, SubmissionState
from frontiers_de.templating import flash

EDIT = Permission.EDIT


@view_config(
    route_name="editorial.queue",
    request_method="GET",
    renderer="editorial/queue.html",
    permission=EDIT,
)
def queue(request: Request) -> dict[str, Any]:
    db, journal, user = request.db, request.journal, request.user
    shown = request.GET.get("handling")
    shown = shown if shown in services.HANDLING_FILTERS else None
    return {
        "entries": services.new_submissions(db, journal.id, user, shown),
        "in_review": services.in_review(db, journal.id, user, shown),
        "handling": shown,
        # What is overdue on each paper, by the journal's deadline rules (the one engine).
        "overdue": overdue_flags(db, journal.id, request.localizer.translate),
        "editor_names": {u.id: u.display_name for u in handling.journal_editors(db, journal.id)},
        "may_assign": bool(workflow.actor_roles(user, journal.id) & CHIEF),
        "min_reason": services.MIN_REASON_LENGTH,
        "review_mode_labels": {
            k.value: _t(request, v) for k, v in submission_rules.REVIEW_MODE_LABELS.items()
        },
    }


@view_config(route_name="editorial.act", request_method="POST", permission=EDIT)
def act(request: Request) -> Response:
    submission = request.context.submission  # resources.SubmissionContext: else 404
    action = request.matchdict["action"]
    if action not in services.QUEUE_ACTIONS:
        raise HTTPNotFound()
    # Back where the editor acted: the queue, or the paper's workspace (a fixed choice,
    # never a URL from the form).
    if request.POST.get("back") == "workspace":
        back = HTTPFound(request.route_path("editorial.workspace", submission_id=submission.id))
    else:
        back = HTTPFound(request.route_path("editorial.queue"))
    try:
        services.act(
            request.db,
            submission,
            action,
            request.user,
            request.POST.get("reason", ""),
            storage=request.storage,
            anonymity_checked=request.POST.get("anonymity_checked") == "yes",
        )
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
    done = {
        "desk_reject": _("Submission ${id} is rejected; the author is told why."),
        "send_to_review": _("Submission ${id} is sent to peer review; the author is told."),
    }[action]
    flash(request, _t(request, _(done, mapping={"id": submission.id})), "success")
    return back


# --- peer review: the editor's page of a submission's rounds ---------------------------------


def _review_submission(request: Request) -> Any:
    """The route's submission (resources.SubmissionContext, or the AssignmentContext of one
    of its assignments): only the editors the workflow lets handle it get here (else 404)."""
    return request.context.submission


def _letters(
    request: Request, submission: Any, may_invite: bool, may_decide: bool
) -> dict[str, Any]:
    """The letters the page's forms open with: the invitation (in the editor's language,
    the reviewer not chosen yet) and the decision letter of each kind."""
    settings = request.registry.settings
    invitation = (
        review_services.invitation_letter(
            request.db, settings, submission, request.user, request.locale_name
        )
        if may_invite
        else None
    )
    return {
        "invitation": invitation,
        "decision_letters": letters.decision_letters(request.db, settings, submission)
        if may_decide
        else {},
        "fill_ins": [placeholder(n) for n in catalogue.template("review_invitation").fill_ins],
    }


def _review_page(request: Request, submission: Any, **extra: Any) -> dict[str, Any]:
    rnd = workflow.current_round(request.db, submission)
    all_rounds = review_services.rounds(request.db, submission)
    invited = {a.reviewer_id for a in rnd.assignments} if rnd else set()
    today = utcnow().date()
    # The journal's review period (its deadline rules) is the date the form offers.
    period = journal_rule(request.db, submission.journal_id, DeadlineKind.REVIEW).period_days
    default_due = today + dt.timedelta(days=period)
    may_invite = (
        submission.state == SubmissionState.UNDER_REVIEW
        and rnd is not None
        and rnd.closed_at is None
    )
    may_decide = workflow.may(submission, "decide", request.user)
    # The journal's review period (its deadline rules) is the date the form offers.
    period = journal_rule(request.db, submission.journal_id, DeadlineKind.REVIEW).period_days
    default_due = today + dt.timedelta(days=period)
    return {
        "submission": submission,
        "band": workspace.band(request.db, submission, request.user),
        "rounds": all_rounds,
        "current": rnd,
        "may_invite": may_invite,
        "candidates": [
            u
            for u in review_services.reviewer_candidates(request.db, submission)
            if u.id not in invited
        ],
        "previous": review_services.previous_reviewers(request.db, submission),
        "reviewers": review_services.reviewer_names(request.db, submission),
        "attachments": review_services.attachments_by_review(request.db, submission),
        "state_labels": {k: _t(request, v) for k, v in review_services.STATE_LABELS.items()},
        "recommendations": {
            k.value: _t(request, v) for k, v in review_services.RECOMMENDATION_LABELS.items()
        },
        "criteria": {k: _t(request, v) for k, v in review_services.CRITERIA.items()},
        "may_decide": may_decide,
        **_letters(request, submission, may_invite, may_decide),
        # The controls offered on each invitation of the open round: what its table allows.
        "moves": {
            a.id: assignments.available(request.db, a, request.user)
            for a in (rnd.assignments if rnd else [])
        },
        "decisions": {k.value: _t(request, v) for k, v in services.DECISIONS.items()},
        "min_message": services.MIN_MESSAGE_LENGTH,
        "for_author": services.reviews_for_author(request.db, submission),
        "past_decisions": services.decisions(request.db, submission),
        "decision_labels": {k: _t(request, v) for k, v in services.DECISION_LABELS.items()},
        "default_due": default_due.isoformat(),
        "min_due": (today + dt.timedelta(days=1)).isoformat(),
        "values": letters.chosen_decision(request.GET.get("decision")),
        "errors": {},
        "due_values": {},
        "conflicts": [],
        "decide_errors": {},  # the decision form's own, apart from the invitation form's
        "min_conflict_reason": review_services.MIN_CONFLICT_REASON,
        "reviews_submitted": services.submitted_reviews(request.db, rnd.id if rnd else None),
        **_anonymity(request, submission),
        **finder_views.review_page_extras(request, submission, all_rounds),
        **extra,
    }


def _anonymity(request: Request, submission: Any) -> dict[str, Any]:
    """The review mode (and its form before review starts) and the anonymity check of the
    files reviewers are given."""
    return {
        "review_mode_labels": {
            k.value: _t(request, v) for k, v in submission_rules.REVIEW_MODE_LABELS.items()
        },
        "may_change_mode": workflow.may(submission, "send_to_review", request.user),
        "checks": submission_rules.anonymity_check(request.storage, submission),
    }


@view_config(route_name="editorial.review_mode", request_method="POST", permission=EDIT)
def change_review_mode(request: Request) -> Response:
    """The editor sets the review mode before the paper goes to review."""
    submission = _review_submission(request)
    back = HTTPFound(request.route_path("editorial.review", submission_id=submission.id))
    try:
        event = submission_rules.change_review_mode(
            request.db, submission, request.user, request.POST.get("review_mode", "")
        )
    except submission_rules.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return back
    if event is not None:
        label = submission_rules.REVIEW_MODE_LABELS[submission.review_mode]
        message = _("The review mode is now: ${mode}.", mapping={"mode": _t(request, label)})
        flash(request, _t(request, message), "success")
    return back


@view_config(
    route_name="editorial.review",
    request_method="GET",
    renderer="editorial/review.html",
    permission=EDIT,
)
def review_page(request: Request) -> dict[str, Any]:
    # The reviewer finder's Invite links fill the invitation form (?invite=ID); the
    # decision form opens with the letter of ?decision= (one set of values for both forms:
    # their fields differ).
    values = {
        **letters.chosen_decision(request.GET.get("decision")),
        **finder_views.invite_values(request),
    }
    return _review_page(request, _review_submission(request), values=values)


@view_config(
    route_name="editorial.invite",
    request_method="POST",
    renderer="editorial/review.html",
    permission=EDIT,
)
def invite(request: Request) -> Any:
    submission = _review_submission(request)
    post = request.POST
    # The invite form posts the letter as the editor edited it; "Invite again" posts none.
    letter = (
        (str(post.get("subject", "")), str(post.get("message", ""))) if "subject" in post else None
    )
    try:
        invitation = review_services.invite(
            request.db,
            submission,
            request.user,
            reviewer_id=post.get("reviewer_id", ""),
            name=str(post.get("name", "")),
            email=str(post.get("email", "")),
            due=post.get("due", ""),
            conflict_reason=str(post.get("conflict_reason", "")),
            letter=letter,
        )
    except review_services.ReviewError as exc:
        values = {k: str(post.get(k, ""))[:300] for k in ("reviewer_id", "name", "email", "due")}
        values["conflict_reason"] = str(post.get("conflict_reason", ""))[:2000]
        if letter is not None:  # the editor's text is kept, never lost to a refusal
            values["subject"], values["message"] = letter[0][:600], letter[1][:21000]
        warnings = getattr(exc, "warnings", [])
        # Warnings are not a refusal: the editor is asked to confirm with a reason (409).
        request.response.status_int = 409 if warnings else 400
        return _review_page(
            request,
            submission,
            values=values,
            errors={"__all__": _t(request, exc.message)},
            conflicts=[_t(request, w.message) for w in warnings],
        )
    reviewer = request.db.get(User, invitation.assignment.reviewer_id)
    done = _(
        "${name} is invited; the invitation is emailed.", mapping={"name": reviewer.display_name}
    )
    flash(request, _t(request, done), "success")
    return HTTPFound(request.route_path("editorial.review", submission_id=submission.id))


def _editor_assignment(request: Request, submission: Any) -> Any:
    """An assignment of the route's submission (resources.assignment_factory; else 404)."""
    return request.context.assignment


@view_config(
    route_name="editorial.review_cancel",
    request_method="POST",
    renderer="editorial/review.html",
    permission=EDIT,
)
def cancel_invitation(request: Request) -> Any:
    """The editor withdraws an invitation; the reviewer is emailed."""
    submission = _review_submission(request)
    assignment = _editor_assignment(request, submission)
    try:
        review_services.cancel(request.db, submission, assignment, request.user)
    except review_services.ReviewError as exc:
        request.response.status_int = 400
        return _review_page(
            request, submission, errors={f"assignment-{assignment.id}": _t(request, exc.message)}
        )
    reviewer = request.db.get(User, assignment.reviewer_id)
    done = _(
        "The invitation of ${name} is cancelled; they are emailed.",
        mapping={"name": reviewer.display_name if reviewer else ""},
    )
    flash(request, _t(request, done), "success")
    return HTTPFound(request.route_path("editorial.review", submission_id=submission.id))


@view_config(
    route_name="editorial.review_due",
    request_method="POST",
    renderer="editorial/review.html",
    permission=EDIT,
)
def change_due(request: Request) -> Any:
    """The editor gives a reviewer a later due date; the reviewer is emailed."""
    submission = _review_submission(request)
    assignment = _editor_assignment(request, submission)
    due = str(request.POST.get("due", ""))[:40]
    try:
        review_services.change_due(request.db, submission, assignment, request.user, due)
    except review_services.ReviewError as exc:
        request.response.status_int = 400
        return _review_page(
            request,
            submission,
            errors={f"assignment-{assignment.id}": _t(request, exc.message)},
            due_values={assignment.id: due},
        )
    reviewer = request.db.get(User, assignment.reviewer_id)
    done = _(
        "${name}'s review is now due by ${date}; they are emailed.",
        mapping={
            "name": reviewer.display_name if reviewer else "",
            "date": assignment.due_at.date().isoformat(),
        },
    )
    flash(request, _t(request, done), "success")
    return HTTPFound(request.route_path("editorial.review", submission_id=submission.id))


@view_config(route_name="editorial.review_file", request_method="GET", permission=EDIT)
def review_file(request: Request) -> Response:
    """A reviewer's attachment or a reviewer copy of the author's files, for the editors."""
    row = request.context.part(ManuscriptFile, "file_id")  # of the route's submission
    if row.kind not in (FileKind.REVIEW_ATTACHMENT, *submission_rules.COPY_SOURCE_KINDS):
        raise HTTPNotFound()
    body = stored_bytes(request.storage, row.sha256)
    return file_response(body, row.media_type, row.filename, private=True)


@view_config(
    route_name="editorial.decide",
    request_method="POST",
    renderer="editorial/review.html",
    permission=EDIT,
)
def decide(request: Request) -> Any:
    """The decision after peer review, with the letter the author is emailed; the reviewers
    whose open invitations it cancels are emailed too."""
    submission = _review_submission(request)
    post = request.POST
    try:
        prefilled = letters.decision_letters(request.db, request.registry.settings, submission)
        services.decide_from_form(request.db, submission, request.user, post, prefilled)
    except services.EditorialError as exc:
        request.response.status_int = 400
        limit = services.MAX_REASON_LENGTH + 100
        values = {
            "decision": str(post.get("decision", ""))[:40],
            "message": str(post.get("message", ""))[: max(limit, MAX_BODY + 100)],
            **({"subject": str(post.get("subject", ""))[:600]} if "subject" in post else {}),
            "without_reviews": "yes" if post.get("without_reviews") == "yes" else "",
            "without_reviews_reason": str(post.get("without_reviews_reason", ""))[:limit],
        }
        return _review_page(
            request, submission, values=values, decide_errors={"decide": _t(request, exc.message)}
        )
    except TransitionNotAllowed:
        flash(
            request,
            _t(request, _("This is no longer possible: the submission has moved on.")),
            "error",
        )
        return HTTPFound(request.route_path("editorial.review", submission_id=submission.id))
    flash(request, _t(request, _("The decision is recorded and emailed to the author.")), "success")
    return HTTPFound(request.route_path("editorial.review", submission_id=submission.id))
