"""The emails of peer review, subscribers of review's events (registered in
``subscribers.py``):

* :class:`~frontiers_de.review.events.ReviewerInvited`: the invitation (with its Accept and
  Decline links) to the reviewer;
* :class:`~frontiers_de.review.events.AssignmentMoved`: the editor hears of an answer
  (``accept``, ``decline``) and of a submitted review (``submit``); the reviewer hears that
  the editor withdrew the invitation (``cancel``) or decided on the paper meanwhile
  (``cancel_on_decision``), and of a later due date (``change_due``);
* :class:`~frontiers_de.deadlines.events.DeadlineReminder` of an invitation or a review (the
  deadline engine, :mod:`frontiers_de.deadlines.engine`): the reminder to the reviewer. An
  invitation's reminder carries fresh Accept / Decline links: only a hash of the old token
  is kept, so a new token replaces it (the old link stops working; the invitation still
  expires ``fde.review.invitation_days`` after it was first sent).

Into the mail domain's outbox in the announcing transaction, delivered after it commits;
links are built by the route mapper under ``fde.base_url``
(:func:`frontiers_de.mail.links.email_url`), in a request or not. The recipient's
preferred language picks the
template variant. What goes to a reviewer never names the authors (the invitation carries
the title and abstract only), whatever the review mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.deadlines.events import DeadlineReminder
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.journals.models import Journal
from frontiers_de.mail.letters import LETTER_KEY, EditedLetter
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import send_email, settings_of
from frontiers_de.review import services
from frontiers_de.review.events import AssignmentMoved, ReviewerInvited
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.review.services.letters import invitation_context
from frontiers_de.security.link_tokens import hash_link_token, new_link_token


def _send(
    db: Session,
    settings: Mapping[str, Any],
    template: str,
    to: User,
    journal: Any,
    **context: Any,
) -> Any:
    return send_email(
        db,
        settings,
        template,
        [to.email],
        {"lang": to.preferred_language, "name": to.display_name, "journal": journal, **context},
        journal,
    )


def invitation_links(settings: Mapping[str, Any], token: str) -> dict[str, str]:
    """The Accept and Decline links of an invitation (its page, with the answer chosen)."""
    return {
        f"{answer}_link": email_url(
            settings, "review.invitation", token=token, _query={"answer": answer}
        )
        for answer in ("accept", "decline")
    }


def send_invitation(event: ReviewerInvited) -> Any:
    db, settings, assignment = event.db, settings_of(event), event.assignment
    submission = services.submission_of(db, assignment)
    reviewer = db.get(User, assignment.reviewer_id)
    journal = db.get(Journal, submission.journal_id)
    # What the editor edited before inviting is sent as written (its placeholders filled).
    edited = (
        {LETTER_KEY: EditedLetter(assignment.letter_subject, assignment.letter_body)}
        if assignment.letter_body
        else {}
    )
    return _send(
        db,
        settings,
        "review_invitation",
        reviewer,
        journal,
        **invitation_context(settings, submission, event.editor),
        due=assignment.due_at.date().isoformat(),
        **invitation_links(settings, event.token),
        **edited,
    )


def assignment_moved(event: AssignmentMoved) -> Any:
    """Tell the editor or the reviewer of the move (see the module's docstring)."""
    db, settings, assignment = event.db, settings_of(event), event.assignment
    if event.move in ("accept", "decline"):
        return send_answer_to_editor(db, settings, assignment)
    if event.move == "submit":
        return send_review_to_editor(db, settings, assignment)
    if event.move in ("cancel", "cancel_on_decision"):
        decided = event.move == "cancel_on_decision"
        return send_cancellation(db, settings, assignment, event.actor, decided=decided)
    if event.move == "change_due":
        return send_new_due_date(db, settings, assignment, event.actor)
    return None


def _editor_of(db: Session, assignment: ReviewAssignment) -> User | None:
    if assignment.invited_by_id is None:
        return None
    return db.get(User, assignment.invited_by_id)


def send_answer_to_editor(
    db: Session, settings: Mapping[str, Any], assignment: ReviewAssignment
) -> Any:
    editor = _editor_of(db, assignment)
    if editor is None:
        return None
    submission = services.submission_of(db, assignment)
    reviewer = db.get(User, assignment.reviewer_id)
    return _send(
        db,
        settings,
        "review_answered",
        editor,
        db.get(Journal, submission.journal_id),
        reviewer=reviewer.display_name if reviewer else "",
        accepted=assignment.state.value == "accepted",
        number=submission.id,
        title=submission.title,
        due=assignment.due_at.date().isoformat(),
        reason=assignment.decline_reason,
        suggestion=assignment.suggested_reviewer,
        link=email_url(settings, "editorial.review", submission_id=submission.id),
    )


def send_review_to_editor(
    db: Session, settings: Mapping[str, Any], assignment: ReviewAssignment
) -> Any:
    editor = _editor_of(db, assignment)
    review = assignment.review
    if editor is None or review is None or review.recommendation is None:
        return None
    submission = services.submission_of(db, assignment)
    reviewer = db.get(User, assignment.reviewer_id)
    return _send(
        db,
        settings,
        "review_submitted",
        editor,
        db.get(Journal, submission.journal_id),
        reviewer=reviewer.display_name if reviewer else "",
        number=submission.id,
        title=submission.title,
        recommendation=review.recommendation.value,
        link=email_url(settings, "editorial.review", submission_id=submission.id),
    )


def _to_reviewer(
    db: Session,
    settings: Mapping[str, Any],
    template: str,
    assignment: ReviewAssignment,
    actor: User | None,
    **extra: Any,
) -> Any:
    reviewer = db.get(User, assignment.reviewer_id)
    if reviewer is None or not reviewer.is_active:
        return None
    submission = services.submission_of(db, assignment)
    editor = _editor_of(db, assignment) or actor
    return _send(
        db,
        settings,
        template,
        reviewer,
        db.get(Journal, submission.journal_id),
        editor=editor.display_name if editor else "",
        title=submission.title,
        due=assignment.due_at.date().isoformat(),
        link=email_url(settings, "review.assignment", assignment_id=assignment.id),
        **extra,
    )


def send_cancellation(
    db: Session,
    settings: Mapping[str, Any],
    assignment: ReviewAssignment,
    actor: User | None,
    *,
    decided: bool = False,
) -> Any:
    """The reviewer is told the editor no longer needs the review: the invitation was
    withdrawn, or (``decided``) the editor has decided on the paper meanwhile."""
    return _to_reviewer(db, settings, "review_cancelled", assignment, actor, decided=decided)


def send_new_due_date(
    db: Session, settings: Mapping[str, Any], assignment: ReviewAssignment, actor: User | None
) -> Any:
    """The reviewer is told of the later due date."""
    return _to_reviewer(db, settings, "review_due_changed", assignment, actor)


def send_deadline_reminder(event: DeadlineReminder) -> Any:
    """Remind the reviewer of an unanswered invitation or of a review due soon or late."""
    deadline = event.deadline
    if deadline.kind not in (DeadlineKind.INVITATION, DeadlineKind.REVIEW):
        return None
    db, settings = event.db, settings_of(event)
    assignment = db.get(ReviewAssignment, deadline.item_id)
    reviewer = db.get(User, assignment.reviewer_id) if assignment else None
    if assignment is None or reviewer is None or not reviewer.is_active:
        return None
    submission = services.submission_of(db, assignment)
    links = {"accept_link": "", "decline_link": ""}
    if deadline.kind == DeadlineKind.INVITATION:
        stage = "invitation"
        token = new_link_token()
        assignment.token_hash = hash_link_token(token)
        links = invitation_links(settings, token)
    else:
        stage = "due_soon" if event.before else "overdue"
    assignment.last_reminded_at = event.now
    assignment.reminder_count = (assignment.reminder_count or 0) + 1
    return _send(
        db,
        settings,
        "review_reminder",
        reviewer,
        db.get(Journal, submission.journal_id),
        stage=stage,
        title=submission.title,
        due=assignment.due_at.date().isoformat(),
        link=email_url(settings, "review.assignment", assignment_id=assignment.id),
        **links,
    )
