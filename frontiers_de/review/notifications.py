"""The emails of peer review: the invitation (with its Accept and Decline links) to the
reviewer, and the editor's notices of an answer and of a submitted review.

Through the mail domain's outbox, in the request's transaction; the recipient's preferred
language picks the template variant. What goes to a reviewer never names the authors (the
invitation carries the title and abstract only), whatever the review mode.
"""

from __future__ import annotations

from typing import Any

from pyramid.request import Request

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal
from frontiers_de.paragraphs import paragraphs
from frontiers_de.review import services
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.submissions.models import Submission


def _send(request: Request, template: str, to: User, journal: Any, **context: Any) -> Any:
    from frontiers_de.mail.services import send_template

    return send_template(
        request,
        template,
        [to.email],
        {"lang": to.preferred_language, "name": to.display_name, "journal": journal, **context},
        journal,
    )


def send_invitation(
    request: Request, submission: Submission, invitation: services.Invitation, editor: User
) -> Any:
    assignment = invitation.assignment
    reviewer = request.db.get(User, assignment.reviewer_id)
    journal = request.db.get(Journal, submission.journal_id)
    link = request.email_url("review.invitation", token=invitation.token)
    return _send(
        request,
        "review_invitation",
        reviewer,
        journal,
        editor=editor.display_name,
        title=submission.title,
        abstract="\n\n".join(paragraphs(submission.abstract)),
        due=assignment.due_at.date().isoformat(),
        days=ReviewSettings.of(request.registry.settings).invitation_days,
        accept_link=f"{link}?answer=accept",
        decline_link=f"{link}?answer=decline",
        double_anonymous=services.is_anonymous_to_reviewers(submission),
    )


def _editor_of(request: Request, assignment: ReviewAssignment) -> User | None:
    if assignment.invited_by_id is None:
        return None
    return request.db.get(User, assignment.invited_by_id)


def send_answer_to_editor(request: Request, assignment: ReviewAssignment) -> Any:
    editor = _editor_of(request, assignment)
    if editor is None:
        return None
    submission = services.submission_of(request.db, assignment)
    reviewer = request.db.get(User, assignment.reviewer_id)
    return _send(
        request,
        "review_answered",
        editor,
        request.db.get(Journal, submission.journal_id),
        reviewer=reviewer.display_name if reviewer else "",
        accepted=assignment.state.value == "accepted",
        number=submission.id,
        title=submission.title,
        due=assignment.due_at.date().isoformat(),
        reason=assignment.decline_reason,
        suggestion=assignment.suggested_reviewer,
        link=request.email_url("editorial.review", submission_id=submission.id),
    )


def send_review_to_editor(request: Request, assignment: ReviewAssignment) -> Any:
    editor = _editor_of(request, assignment)
    review = assignment.review
    if editor is None or review is None or review.recommendation is None:
        return None
    submission = services.submission_of(request.db, assignment)
    reviewer = request.db.get(User, assignment.reviewer_id)
    return _send(
        request,
        "review_submitted",
        editor,
        request.db.get(Journal, submission.journal_id),
        reviewer=reviewer.display_name if reviewer else "",
        number=submission.id,
        title=submission.title,
        recommendation=review.recommendation.value,
        link=request.email_url("editorial.review", submission_id=submission.id),
    )


def _to_reviewer(
    request: Request, template: str, assignment: ReviewAssignment, **extra: Any
) -> Any:
    reviewer = request.db.get(User, assignment.reviewer_id)
    if reviewer is None or not reviewer.is_active:
        return None
    submission = services.submission_of(request.db, assignment)
    editor = _editor_of(request, assignment) or request.user
    return _send(
        request,
        template,
        reviewer,
        request.db.get(Journal, submission.journal_id),
        editor=editor.display_name if editor else "",
        title=submission.title,
        due=assignment.due_at.date().isoformat(),
        link=request.email_url("review.assignment", assignment_id=assignment.id),
        **extra,
    )


def send_cancellation(
    request: Request, assignment: ReviewAssignment, *, decided: bool = False
) -> Any:
    """The reviewer is told the editor no longer needs the review: the invitation was
    withdrawn, or (``decided``) the editor has decided on the paper meanwhile."""
    return _to_reviewer(request, "review_cancelled", assignment, decided=decided)


def send_new_due_date(request: Request, assignment: ReviewAssignment) -> Any:
    """The reviewer is told of the later due date."""
    return _to_reviewer(request, "review_due_changed", assignment)
