"""Peer review's deadlines, for the engine (:mod:`frontiers_de.deadlines.engine`):

* ``invitation`` — an invitation not answered: due the rule's period after it went out;
  no reminder once its link has expired (``fde.review.invitation_days``);
* ``review`` — an accepted review not yet in: due on the date the editor set (the rule's
  period is the date the invitation form offers).

Only assignments of open rounds of papers under review count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.deadlines import engine
from frontiers_de.deadlines.engine import Deadline
from frontiers_de.deadlines.rules import DeadlineKind, RuleBook
from frontiers_de.review.models import AssignmentState, ReviewAssignment, ReviewRound
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.submissions.models import Submission, SubmissionState

KINDS = (DeadlineKind.INVITATION, DeadlineKind.REVIEW)


def assignment_deadline(
    assignment: ReviewAssignment,
    submission: Submission,
    book: RuleBook,
    settings: Mapping[str, Any],
    reviewer: str = "",
) -> Deadline | None:
    """The open deadline of one assignment (None once answered with a review, declined or
    cancelled)."""
    journal_id = submission.journal_id
    if assignment.state == AssignmentState.INVITED:
        rule = book.rule(journal_id, DeadlineKind.INVITATION)
        expires = dt.timedelta(days=ReviewSettings.of(settings).invitation_days)
        return Deadline(
            DeadlineKind.INVITATION,
            assignment.id,
            journal_id,
            submission.id,
            submission.title,
            assignment.invited_at,
            assignment.invited_at + dt.timedelta(days=rule.period_days),
            rule,
            reviewer,
            assignment.invited_at + expires,
        )
    if assignment.state == AssignmentState.ACCEPTED:
        return Deadline(
            DeadlineKind.REVIEW,
            assignment.id,
            journal_id,
            submission.id,
            submission.title,
            assignment.responded_at or assignment.invited_at,
            assignment.due_at,
            book.rule(journal_id, DeadlineKind.REVIEW),
            reviewer,
        )
    return None


def open_deadlines(
    db: Session,
    book: RuleBook,
    now: dt.datetime,
    journal_id: int | None,
    settings: Mapping[str, Any],
) -> list[Deadline]:
    statement = (
        select(ReviewAssignment, Submission, User)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .join(User, User.id == ReviewAssignment.reviewer_id)
        .where(
            ReviewRound.closed_at.is_(None),
            Submission.state == SubmissionState.UNDER_REVIEW,
            ReviewAssignment.state.in_((AssignmentState.INVITED, AssignmentState.ACCEPTED)),
        )
        .order_by(ReviewAssignment.id)
    )
    if journal_id is not None:
        statement = statement.where(Submission.journal_id == journal_id)
    found = []
    for assignment, submission, reviewer in db.execute(statement):
        deadline = assignment_deadline(
            assignment, submission, book, settings, reviewer.display_name
        )
        if deadline is not None:
            found.append(deadline)
    return found


def overdue_assignments(db: Session, journal_id: int, now: dt.datetime) -> dict[int, Deadline]:
    """The journal's invitations and reviews past their deadline, by assignment id."""
    found = engine.open_deadlines(db, now, journal_id=journal_id, kinds=KINDS)
    return {d.item_id: d for d in found if d.is_overdue(now)}
