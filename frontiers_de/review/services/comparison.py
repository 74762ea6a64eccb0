"""The reviews of one round side by side, for the editors who decide on it: every
invitation of the round with its state (how many are in, who is still writing, who is
late), the submitted reviews in the order the reviewers were invited (numbered as the
author's letter numbers them), the scores of the review form by criterion with their mean,
and a tally of the recommendations.

Drafts are not shown: a review counts once it is submitted. The confidential comments to
the editor are part of each review here; this is the editors' view alone (the route's
context lets only the editors who may handle the paper reach it), and nothing gathered here
goes to the author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.review.deadlines import overdue_assignments
from frontiers_de.review.models import (
    AssignmentState,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
)
from frontiers_de.review.services.reviews import CRITERIA, attachment_of
from frontiers_de.review.services.rounds import reviewer_names, rounds
from frontiers_de.submissions.models import ManuscriptFile, Submission


@dataclass(frozen=True)
class ComparedReview:
    """A submitted review; ``number`` is its place among the round's submitted reviews in
    the order of invitation ("Reviewer 1" in the decision letter)."""

    number: int
    assignment: ReviewAssignment
    review: Review
    reviewer: User | None
    attachment: ManuscriptFile | None

    @property
    def recommendation(self) -> Recommendation | None:
        return self.review.recommendation


@dataclass(frozen=True)
class Invitation:
    """An invitation of the round with no submitted review: invited, accepted (writing),
    declined or cancelled; ``overdue`` when past its deadline by the journal's rules
    (:mod:`frontiers_de.review.deadlines`: an invitation unanswered, a review not in)."""

    assignment: ReviewAssignment
    reviewer: User | None
    overdue: bool


@dataclass(frozen=True)
class RoundComparison:
    """One round's reviews compared. ``latest`` is the submission's newest round (the one a
    decision is taken on while it is open); ``states`` counts the invitations by state (in
    the order of :class:`AssignmentState`, states with none left out); ``tally`` counts the
    recommendations (every recommendation, zeros included, in the order of
    :class:`Recommendation`); ``criteria`` are the score criteria the reviews scored, with
    ``means`` their mean score (one decimal)."""

    round: ReviewRound
    latest: bool
    reviews: list[ComparedReview]
    invitations: list[Invitation]
    states: dict[AssignmentState, int]
    tally: dict[Recommendation, int]
    criteria: list[str]
    means: dict[str, float]

    @property
    def is_open(self) -> bool:
        return self.round.closed_at is None

    @property
    def unanimous(self) -> Recommendation | None:
        """The recommendation every review makes, when there are reviews and they agree."""
        given = {r.recommendation for r in self.reviews}
        return given.pop() if len(given) == 1 else None


def round_numbers(db: Session, submission: Submission) -> list[int]:
    """The numbers of the submission's review rounds, oldest first."""
    return [rnd.number for rnd in rounds(db, submission)]


def compare_round(
    db: Session,
    submission: Submission,
    number: int | None = None,
    *,
    now: dt.datetime | None = None,
) -> RoundComparison | None:
    """The reviews of round ``number`` of ``submission`` compared (its latest round when
    ``number`` is None); None when it has no such round."""
    every = rounds(db, submission)
    if not every:
        return None
    chosen = every[-1] if number is None else next((r for r in every if r.number == number), None)
    if chosen is None:
        return None
    names = reviewer_names(db, submission)
    now = now or utcnow()
    # Late by the journal's deadline rules (the one engine every list asks).
    late = overdue_assignments(db, submission.journal_id, now)
    reviews: list[ComparedReview] = []
    invitations: list[Invitation] = []
    for a in chosen.assignments:
        reviewer = names.get(a.reviewer_id)
        review = a.review
        if review is not None and review.submitted_at is not None:
            attachment = attachment_of(db, review)
            reviews.append(ComparedReview(len(reviews) + 1, a, review, reviewer, attachment))
        else:
            invitations.append(Invitation(a, reviewer, a.id in late))
    scored = _criteria(r.review for r in reviews)
    return RoundComparison(
        round=chosen,
        latest=chosen is every[-1],
        reviews=reviews,
        invitations=invitations,
        states=_states(chosen.assignments),
        tally=_tally(reviews),
        criteria=scored,
        means=_means(reviews, scored),
    )


def _states(rows: Iterable[ReviewAssignment]) -> dict[AssignmentState, int]:
    counts = {state: 0 for state in AssignmentState}
    for a in rows:
        counts[a.state] += 1
    return {state: n for state, n in counts.items() if n}


def _tally(reviews: list[ComparedReview]) -> dict[Recommendation, int]:
    counts = {rec: 0 for rec in Recommendation}
    for r in reviews:
        if r.recommendation is not None:
            counts[r.recommendation] += 1
    return counts


def _criteria(reviews: Iterable[Review]) -> list[str]:
    """The criteria scored in any of the reviews: the form's own in its order, then any
    other (from an older form) by name."""
    keys = {key for review in reviews for key in (review.scores or {})}
    return [k for k in CRITERIA if k in keys] + sorted(keys - set(CRITERIA))


def _means(reviews: list[ComparedReview], criteria: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in criteria:
        values = [
            float(r.review.scores[key])
            for r in reviews
            if isinstance((r.review.scores or {}).get(key), int | float)
        ]
        if values:
            out[key] = round(sum(values) / len(values), 1)
    return out
