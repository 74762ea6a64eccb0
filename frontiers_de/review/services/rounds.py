"""The editor's view of a submission's review rounds: the rounds, the reviewers who may
be invited (the journal's reviewers who are not among the authors, and those who
reviewed an earlier round), and every reviewer by id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.review.models import AssignmentState, ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission


def rounds(db: Session, submission: Submission) -> list[ReviewRound]:
    return list(
        db.scalars(
            select(ReviewRound)
            .where(ReviewRound.submission_id == submission.id)
            .order_by(ReviewRound.number)
        )
    )


def journal_reviewers(db: Session, journal_id: int) -> list[User]:
    """The journal's reviewers: active users with the reviewer role in it, by name."""
    return list(
        db.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.journal_id == journal_id,
                RoleAssignment.role == Role.REVIEWER,
                User.is_active.is_(True),
            )
            .order_by(User.family_name, User.given_name, User.id)
        ).unique()
    )


def reviewer_candidates(db: Session, submission: Submission) -> list[User]:
    """Users with the reviewer role in the journal who are not among the paper's authors."""
    users = journal_reviewers(db, submission.journal_id)
    return [u for u in users if not conflicts.is_author(submission, u)]


def previous_reviewers(db: Session, submission: Submission) -> list[User]:
    """Who reviewed (submitted a review) in the rounds before the current one and is not yet
    invited to it: the editor may invite them again with one click."""
    rnd = workflow.current_round(db, submission)
    if rnd is None:
        return []
    invited = {a.reviewer_id for a in rnd.assignments}
    seen: dict[int, User] = {}
    for earlier in rounds(db, submission):
        if earlier.number >= rnd.number:
            continue
        for a in earlier.assignments:
            if a.state == AssignmentState.SUBMITTED and a.reviewer_id not in invited:
                user = db.get(User, a.reviewer_id)
                if user is not None and user.is_active:
                    seen[user.id] = user
    return list(seen.values())


def reviewer_names(db: Session, submission: Submission) -> dict[int, User]:
    """Every reviewer of the submission's rounds by id (for the editors' page only)."""
    ids = {a.reviewer_id for rnd in rounds(db, submission) for a in rnd.assignments}
    if not ids:
        return {}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))}
