"""The editorial deadlines, for the engine (:mod:`frontiers_de.deadlines.engine`):

* ``decision`` — every invitation of the paper's open round is answered and at least one
  review is in: the decision is due the rule's period after the last review came in; it
  falls to the handling editor (else the editor-in-chief);
* ``minor_revision`` / ``major_revision`` — a revision was requested: the author's
  revision is due the rule's period (of that kind of decision) after the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.deadlines.engine import Deadline
from frontiers_de.deadlines.rules import DeadlineKind, RuleBook
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.review.models import AssignmentState, Review, ReviewAssignment, ReviewRound
from frontiers_de.submissions.models import Submission, SubmissionState

KINDS = (DeadlineKind.DECISION, DeadlineKind.MINOR_REVISION, DeadlineKind.MAJOR_REVISION)
REVISION_KINDS = {
    DecisionKind.MINOR_REVISION: DeadlineKind.MINOR_REVISION,
    DecisionKind.MAJOR_REVISION: DeadlineKind.MAJOR_REVISION,
}


def _names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.display_name for u in db.scalars(select(User).where(User.id.in_(ids)))}


def decision_deadlines(db: Session, book: RuleBook, journal_id: int | None) -> list[Deadline]:
    """Open rounds whose reviews are all in (at least one), papers still under review."""
    open_states = (AssignmentState.INVITED, AssignmentState.ACCEPTED)
    waiting = (
        select(ReviewAssignment.id)
        .where(
            ReviewAssignment.round_id == ReviewRound.id,
            ReviewAssignment.state.in_(open_states),
        )
        .correlate(ReviewRound)
        .exists()
    )
    last_review = (
        select(func.max(Review.submitted_at))
        .join(ReviewAssignment, ReviewAssignment.id == Review.assignment_id)
        .where(
            ReviewAssignment.round_id == ReviewRound.id,
            ReviewAssignment.state == AssignmentState.SUBMITTED,
        )
        .correlate(ReviewRound)
        .scalar_subquery()
    )
    statement = (
        select(ReviewRound, Submission, last_review)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .where(
            ReviewRound.closed_at.is_(None),
            Submission.state == SubmissionState.UNDER_REVIEW,
            ~waiting,
            last_review.is_not(None),
        )
        .order_by(ReviewRound.id)
    )
    if journal_id is not None:
        statement = statement.where(Submission.journal_id == journal_id)
    rows = db.execute(statement).all()
    names = _names(db, {s.handling_editor_id for _r, s, _l in rows if s.handling_editor_id})
    found = []
    for rnd, submission, last in rows:
        rule = book.rule(submission.journal_id, DeadlineKind.DECISION)
        found.append(
            Deadline(
                DeadlineKind.DECISION,
                rnd.id,
                submission.journal_id,
                submission.id,
                submission.title,
                last,
                last + dt.timedelta(days=rule.period_days),
                rule,
                names.get(submission.handling_editor_id or 0, ""),
            )
        )
    return found


def revision_deadlines(db: Session, book: RuleBook, journal_id: int | None) -> list[Deadline]:
    """Papers waiting for their authors' revision, due from the latest decision."""
    latest = (
        select(func.max(Decision.id))
        .where(Decision.submission_id == Submission.id)
        .correlate(Submission)
        .scalar_subquery()
    )
    statement = (
        select(Decision, Submission)
        .join(Submission, Submission.id == Decision.submission_id)
        .where(
            Submission.state == SubmissionState.REVISION_REQUESTED,
            Decision.id == latest,
            Decision.kind.in_(tuple(REVISION_KINDS)),
        )
        .order_by(Decision.id)
    )
    if journal_id is not None:
        statement = statement.where(Submission.journal_id == journal_id)
    rows = db.execute(statement).all()
    names = _names(db, {s.submitter_id for _d, s in rows})
    found = []
    for decision, submission in rows:
        kind = REVISION_KINDS[decision.kind]
        rule = book.rule(submission.journal_id, kind)
        found.append(
            Deadline(
                kind,
                decision.id,
                submission.journal_id,
                submission.id,
                submission.title,
                decision.decided_at,
                decision.decided_at + dt.timedelta(days=rule.period_days),
                rule,
                names.get(submission.submitter_id, ""),
            )
        )
    return found


def open_deadlines(
    db: Session,
    book: RuleBook,
    now: dt.datetime,
    journal_id: int | None,
    settings: Mapping[str, Any],
) -> list[Deadline]:
    return decision_deadlines(db, book, journal_id) + revision_deadlines(db, book, journal_id)
