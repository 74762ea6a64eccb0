"""Editorial rules on new submissions: the editors' queue and the first decision on a
submitted paper (desk reject with a reason, or send to peer review).

Every state change goes through the workflow table
(:func:`frontiers_de.editorial.workflow.apply`); this module adds what the table does not
know: the reason an author is owed when a paper is rejected without review, and which
submissions an editor sees in the queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.i18n import _
from frontiers_de.submissions.models import Submission, SubmissionState

# The transitions the queue offers as buttons (the others have their own pages).
QUEUE_ACTIONS = ("send_to_review", "desk_reject")
MAX_REASON_LENGTH = 10000
MIN_REASON_LENGTH = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EditorialError(Exception):
    """A step the rules refuse; ``message`` is for the editor."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class QueueEntry:
    submission: Submission
    actions: list[str]  # what the workflow table lets this editor do now


def new_submissions(db: Session, journal_id: int, editor: User) -> list[QueueEntry]:
    """Submitted papers waiting for a first decision, oldest first, each with the queue
    actions the workflow allows ``editor`` in its state."""
    rows = db.scalars(
        select(Submission)
        .where(Submission.journal_id == journal_id, Submission.state == SubmissionState.SUBMITTED)
        .order_by(Submission.submitted_at, Submission.id)
    )
    return [
        QueueEntry(s, [a for a in workflow.available(s, editor) if a in QUEUE_ACTIONS])
        for s in rows
    ]


def in_review(db: Session, journal_id: int) -> list[Submission]:
    """Papers in peer review or waiting for the authors' revision, oldest first."""
    return list(
        db.scalars(
            select(Submission)
            .where(
                Submission.journal_id == journal_id,
                Submission.state.in_(
                    (SubmissionState.UNDER_REVIEW, SubmissionState.REVISION_REQUESTED)
                ),
            )
            .order_by(Submission.submitted_at, Submission.id)
        )
    )


def queue_submission(db: Session, submission_id: int, journal_id: int) -> Submission | None:
    submission = db.get(Submission, submission_id)
    if submission is None or submission.journal_id != journal_id:
        return None
    if submission.state == SubmissionState.DRAFT:
        return None  # drafts are the author's own
    return submission


def clean_reason(reason: str) -> str:
    """The reason for a desk rejection, checked: it goes to the author in the letter."""
    text = _CONTROL.sub("", reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise EditorialError(
            _(
                "Give the author the reason for rejecting without review (at least "
                "${min} characters).",
                mapping={"min": MIN_REASON_LENGTH},
            )
        )
    if len(text) > MAX_REASON_LENGTH:
        raise EditorialError(
            _(
                "The reason is too long: at most ${max} characters.",
                mapping={"max": MAX_REASON_LENGTH},
            )
        )
    return text


def act(
    db: Session, submission: Submission, action: str, editor: User | None, reason: str = ""
) -> AuditEvent:
    """Make a queue action through the workflow table. Raises :class:`EditorialError` for
    an unknown action or a missing reason, ``TransitionNotAllowed`` when the table says no
    (another editor was quicker, the author withdrew); nothing changes then."""
    if action not in QUEUE_ACTIONS:
        raise EditorialError(_("There is no such action."))
    if action == "desk_reject":
        letter = clean_reason(reason)
        return workflow.apply(db, submission, action, editor, letter=letter)
    return workflow.apply(db, submission, action, editor)
