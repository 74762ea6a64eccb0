"""Reminders to reviewers, at three stages, each sent at most once per assignment (the
stages sent are recorded on it, in the same transaction as the email):

* ``invitation`` — the invitation is still unanswered ``fde.review.remind_unanswered_days``
  after it went out. The email carries fresh Accept / Decline links: only a hash of the old
  token is kept, so a new token replaces it (the old link stops working; the invitation
  still expires ``fde.review.invitation_days`` after it was first sent);
* ``due_soon`` — an accepted review is due within ``fde.review.remind_due_days``;
* ``overdue`` — an accepted review is past its due date.

Only assignments of open rounds of papers under review are considered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.journals.models import Journal
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import queue_email
from frontiers_de.review import assignments
from frontiers_de.review.models import AssignmentState, ReviewAssignment, ReviewRound
from frontiers_de.review.notifications import invitation_links
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.submissions.models import Submission, SubmissionState

UNANSWERED_SETTING = "fde.review.remind_unanswered_days"
DEFAULT_UNANSWERED_DAYS = ReviewSettings.remind_unanswered_days
DUE_SOON_SETTING = "fde.review.remind_due_days"
DEFAULT_DUE_SOON_DAYS = ReviewSettings.remind_due_days
STAGES = ("invitation", "due_soon", "overdue")


@dataclass(frozen=True)
class Reminder:
    assignment_id: int
    stage: str
    email_id: int


def stage_due(
    assignment: ReviewAssignment, settings: Mapping[str, Any], now: dt.datetime
) -> str | None:
    """The reminder stage this assignment has reached and not yet been sent, if any."""
    sent = assignment.reminders_sent or {}
    if assignment.state == AssignmentState.INVITED:
        review = ReviewSettings.of(settings)
        days, expires = review.remind_unanswered_days, review.invitation_days
        waited = now - assignment.invited_at
        if dt.timedelta(days=days) <= waited < dt.timedelta(days=expires):
            return None if "invitation" in sent else "invitation"
        return None
    if assignment.state == AssignmentState.ACCEPTED:
        if now > assignment.due_at:
            return None if "overdue" in sent else "overdue"
        soon = ReviewSettings.of(settings).remind_due_days
        if assignment.due_at - now <= dt.timedelta(days=soon):
            # One reminder is enough: a review accepted close to its due date gets none.
            if "due_soon" in sent or assignment.responded_at is None:
                return None
            if assignment.due_at - assignment.responded_at <= dt.timedelta(days=soon):
                return None
            return "due_soon"
    return None


def send_due_reminders(
    db: Session, settings: Mapping[str, Any], now: dt.datetime | None = None
) -> list[Reminder]:
    """Queue every reminder that is due and record it; the reminders sent. Their links
    are built as every email's are, by the route mapper under ``fde.base_url``."""
    now = now or utcnow()
    rows = db.execute(
        select(ReviewAssignment, Submission)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .where(
            ReviewRound.closed_at.is_(None),
            Submission.state == SubmissionState.UNDER_REVIEW,
            ReviewAssignment.state.in_(assignments.OPEN),
        )
        .order_by(ReviewAssignment.id)
    ).all()
    sent: list[Reminder] = []
    for assignment, submission in rows:
        stage = stage_due(assignment, settings, now)
        if stage is None:
            continue
        reviewer = db.get(User, assignment.reviewer_id)
        if reviewer is None or not reviewer.is_active:
            continue
        context: dict[str, Any] = {
            "lang": reviewer.preferred_language,
            "name": reviewer.display_name,
            "stage": stage,
            "title": submission.title,
            "due": assignment.due_at.date().isoformat(),
            "link": email_url(settings, "review.assignment", assignment_id=assignment.id),
            "accept_link": "",
            "decline_link": "",
        }
        if stage == "invitation":
            token = new_link_token()
            assignment.token_hash = hash_link_token(token)
            context.update(invitation_links(settings, token))
        journal = db.get(Journal, submission.journal_id)
        email = queue_email(db, settings, "review_reminder", [reviewer.email], context, journal)
        # A new dict, so that the JSON column is seen to change.
        assignment.reminders_sent = {**(assignment.reminders_sent or {}), stage: now.isoformat()}
        assignment.last_reminded_at = now
        assignment.reminder_count = (assignment.reminder_count or 0) + 1
        sent.append(Reminder(assignment.id, stage, email.id))
    db.flush()
    return sent
