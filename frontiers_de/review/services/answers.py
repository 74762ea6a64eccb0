"""Answering an invitation: the emailed link (it stands for the invited reviewer, and
accepting by it confirms their address) or My reviews when signed in with a confirmed
address. The link expires after ``fde.review.invitation_days`` or once the round closes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.accounts.passwords import password_problem
from frontiers_de.accounts.services import (
    AccountAction,
    AccountService,
    account_may,
    confirm_address_by_link,
)
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.review import assignments
from frontiers_de.review.assignments import ReviewError
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.review.services.text import MAX_SHORT_TEXT, clean_text
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.security.link_tokens import hash_link_token

# Settings and their defaults (days).
INVITATION_DAYS_SETTING = "fde.review.invitation_days"
DEFAULT_INVITATION_DAYS = ReviewSettings.invitation_days


class InvitationLinkError(Exception):
    """An invitation link that cannot be used: ``invalid``, ``expired``, ``used`` or
    ``cancelled``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def assignment_for_token(
    db: Session, token: str, settings: Mapping[str, Any], now: dt.datetime | None = None
) -> ReviewAssignment:
    """The open invitation a link stands for, or :class:`InvitationLinkError` saying why
    not (``invalid``, ``used`` once answered or withdrawn, ``expired`` after the set days
    or once the round is closed)."""
    if not token or len(token) > 200 or not token.isascii():
        raise InvitationLinkError("invalid")
    assignment = db.scalar(
        select(ReviewAssignment).where(ReviewAssignment.token_hash == hash_link_token(token))
    )
    if assignment is None:
        raise InvitationLinkError("invalid")
    if assignment.state == AssignmentState.CANCELLED:
        raise InvitationLinkError("cancelled")
    if not assignments.MOVES.starts_from("accept", assignment.state):
        raise InvitationLinkError("used")  # answered: the table allows no answer now
    days = ReviewSettings.of(settings).invitation_days
    if (now or utcnow()) > assignment.invited_at + dt.timedelta(days=days):
        raise InvitationLinkError("expired")
    if assignment.round.closed_at is not None:
        raise InvitationLinkError("expired")
    return assignment


def accept(
    db: Session, assignment: ReviewAssignment, now: dt.datetime | None = None
) -> ReviewAssignment:
    """The reviewer agrees to review. Says nothing about the reviewer's address: only the
    emailed link confirms it (:func:`accept_by_link`)."""
    assignments.apply(db, assignment, "accept", invited_reviewer(db, assignment), now=now)
    return assignment


def invited_reviewer(db: Session, assignment: ReviewAssignment) -> User:
    """The invited reviewer: who answers by the emailed link (the link stands for them)."""
    reviewer = db.get(User, assignment.reviewer_id)
    assert reviewer is not None
    return reviewer


def decline(
    db: Session,
    assignment: ReviewAssignment,
    reason: str = "",
    suggestion: str = "",
    now: dt.datetime | None = None,
) -> ReviewAssignment:
    """The reviewer declines, optionally saying why and whom to ask instead."""
    reviewer = invited_reviewer(db, assignment)
    assignments.check(db, assignment, "decline", reviewer)
    values = {
        "decline_reason": clean_text(reason, MAX_SHORT_TEXT),
        "suggested_reviewer": clean_text(suggestion, MAX_SHORT_TEXT),
    }
    assignments.apply(db, assignment, "decline", reviewer, values=values, now=now)
    return assignment


def check_link_visitor(assignment: ReviewAssignment, signed_in: User | None) -> None:
    """Whoever answers by the emailed link must not be signed in as another account: a
    forwarded or leaked link must not let one account answer (and so read the paper) in
    the invited person's place."""
    if signed_in is not None and signed_in.id != assignment.reviewer_id:
        raise ReviewError(
            _(
                "You are signed in as ${email}, but this invitation was sent to someone "
                "else. Sign out, then open the link in the email again.",
                mapping={"email": signed_in.email},
            )
        )


def needs_password_to_accept(reviewer: User) -> bool:
    """Whether accepting by the link must also choose a password: the account has none, or
    its address is unconfirmed (then whatever password it has is its registrant's, and
    accepting takes it away: :func:`~frontiers_de.accounts.services.confirm_address_by_link`)."""
    return reviewer.password_hash is None or not reviewer.is_verified


def accept_by_link(
    db: Session,
    assignment: ReviewAssignment,
    signed_in: User | None,
    *,
    accounts: AccountService | None = None,
    new_password: str | None = None,
    now: dt.datetime | None = None,
) -> User:
    """Accept through the emailed link; returns the reviewer. The link proves that the
    reviewer holds the address, so it is confirmed here (an unconfirmed account loses the
    password and sessions its registrant had). An account without a usable password
    chooses one in the same step (``new_password``, set through ``accounts``), so the
    reviewer can be signed in at once. Everything is checked before anything changes:
    :class:`ReviewError` then, and nothing is saved."""
    check_link_visitor(assignment, signed_in)
    reviewer = invited_reviewer(db, assignment)
    assignments.check(db, assignment, "accept", reviewer)
    choose = needs_password_to_accept(reviewer)
    if choose:
        if not new_password or accounts is None:
            raise ReviewError(
                _("Choose a password: you sign in with it to read the manuscript and review.")
            )
        problem = password_problem(new_password, reviewer.email)
        if problem is not None:
            raise ReviewError(problem)
    now = now or utcnow()
    accept(db, assignment, now)
    confirm_address_by_link(reviewer, now)
    if choose:
        assert accounts is not None and new_password is not None
        accounts.set_password(reviewer, new_password)
    db.flush()
    return reviewer


def decline_by_link(
    db: Session,
    assignment: ReviewAssignment,
    signed_in: User | None,
    reason: str = "",
    suggestion: str = "",
) -> ReviewAssignment:
    """Decline through the emailed link (not while signed in as another account)."""
    check_link_visitor(assignment, signed_in)
    return decline(db, assignment, reason, suggestion)


def answer_signed_in(
    db: Session,
    assignment: ReviewAssignment,
    user: User | None,
    action: str,
    reason: str = "",
    suggestion: str = "",
) -> ReviewAssignment:
    """Accept or decline from My reviews. Only the invited account may, and only with a
    confirmed address (the account rule, :func:`~frontiers_de.accounts.services.account_may`):
    being signed in proves nothing about the address, so it never confirms it either."""
    if user is None or user.id != assignment.reviewer_id:
        raise ReviewError(assignments.NOT_YOURS)
    if not account_may(user, AccountAction.REVIEW):
        raise ReviewError(CONFIRM_TO_REVIEW)
    if action not in ("accept", "decline"):
        raise ReviewError(_("Choose whether to accept or decline."))
    assignments.check(db, assignment, action, user)
    if action == "accept":
        return accept(db, assignment)
    return decline(db, assignment, reason, suggestion)


CONFIRM_TO_REVIEW = _(
    "Confirm your email address first: open the link in the invitation email. It answers the "
    "invitation and confirms your address in one go."
)


def may_use_reviewer_pages(user: User | None) -> bool:
    """Whether ``user`` may open the reviewer's pages of their assignments (the account
    rule: a confirmed address)."""
    return account_may(user, AccountAction.REVIEW)
