"""The editors' private rating of a review (1-5), given when reading it on the paper's review
page. It tells later editors how useful a reviewer's reports were (the reviewer finder shows
each reviewer's mean). Only the paper's editors rate or see it: no page of the reviewer or
the authors reads this table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial.models import ReviewRating
from frontiers_de.i18n import _
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.submissions.models import Submission

RATINGS = (1, 2, 3, 4, 5)


class RatingError(ValueError):
    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def parse_rating(value: Any) -> int:
    """A rating from a form: a whole number from 1 to 5."""
    text = str(value or "").strip()
    if not text.isdigit() or int(text) not in RATINGS:
        raise RatingError(_("Choose a rating from 1 to 5."))
    return int(text)


def rate(
    db: Session,
    submission: Submission,
    assignment: ReviewAssignment,
    editor: User,
    value: Any,
) -> ReviewRating:
    """Rate the submitted review of ``assignment`` (of ``submission``); rating again
    replaces the earlier rating. Raises :class:`RatingError`; nothing is saved then."""
    rating = parse_rating(value)
    if assignment.round.submission_id != submission.id:
        raise RatingError(_("This invitation belongs to another submission."))
    review = assignment.review
    if assignment.state != AssignmentState.SUBMITTED or review is None or not review.submitted_at:
        raise RatingError(_("Only a submitted review can be rated."))
    row = db.scalar(select(ReviewRating).where(ReviewRating.assignment_id == assignment.id))
    if row is None:
        row = ReviewRating(assignment_id=assignment.id, rating=rating, rated_by_id=editor.id)
        db.add(row)
    else:
        row.rating, row.rated_by_id, row.rated_at = rating, editor.id, utcnow()
    db.flush()
    return row


def ratings_of(db: Session, assignment_ids: Iterable[int]) -> dict[int, int]:
    """The rating of each of ``assignment_ids`` that has one."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    return dict(
        db.execute(
            select(ReviewRating.assignment_id, ReviewRating.rating).where(
                ReviewRating.assignment_id.in_(ids)
            )
        ).all()
    )
