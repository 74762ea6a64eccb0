"""The editor invites reviewers to the current round, withdraws an invitation or gives
more time. An author of the paper is refused; a possible conflict of interest
(:func:`frontiers_de.editorial.conflicts.reviewer_warnings`) needs the editor's reason,
kept in the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import RoleAssignment, User, email_key
from frontiers_de.accounts.services import end_unproven_access
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.i18n import _
from frontiers_de.mail.letters import EditedLetter, LetterError, check_letter
from frontiers_de.mail.sender import InvalidAddress, clean_address
from frontiers_de.review import assignments
from frontiers_de.review.assignments import ReviewError
from frontiers_de.review.events import ReviewerInvited
from frontiers_de.review.models import AssignmentState, ReviewAssignment, ReviewRound
from frontiers_de.review.services.letters import TEMPLATE
from frontiers_de.review.services.text import MAX_NAME, MAX_SHORT_TEXT, clean_text
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState

MAX_DUE_DAYS = 180
STATE_LABELS: dict[AssignmentState, TranslationString] = {
    AssignmentState.INVITED: _("Invited, no answer yet"),
    AssignmentState.ACCEPTED: _("Accepted, review in progress"),
    AssignmentState.DECLINED: _("Declined"),
    AssignmentState.SUBMITTED: _("Review submitted"),
    AssignmentState.CANCELLED: _("Cancelled"),
}


def parse_due(value: Any, now: dt.datetime) -> dt.datetime:
    """A due date (YYYY-MM-DD) from the form: after today, within ``MAX_DUE_DAYS``; the end
    of that day, UTC."""
    text = str(value or "").strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ReviewError(_("Give the due date as a date (YYYY-MM-DD).")) from None
    if day <= now.date():
        raise ReviewError(_("The due date must be after today."))
    if day > (now + dt.timedelta(days=MAX_DUE_DAYS)).date():
        raise ReviewError(
            _(
                "The due date is too far away: at most ${days} days from today.",
                mapping={"days": MAX_DUE_DAYS},
            )
        )
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)


@dataclass(frozen=True)
class _NewReviewer:
    address: str
    given: str
    family: str


def _reviewer_by_address(db: Session, name: str, email: str) -> User | _NewReviewer:
    """The user with this address, or what a new account for it needs (made only once
    every check has passed, so that a refused invitation leaves no account behind)."""
    given, _sep, family = clean_text(name, MAX_NAME).rpartition(" ")
    if not (given or family):
        raise ReviewError(_("Give the reviewer's name."))
    try:
        address = clean_address(email)
    except InvalidAddress:
        raise ReviewError(_("The reviewer's email address is not valid.")) from None
    if "<" in address or "," in address:
        raise ReviewError(_("The reviewer's email address is not valid."))
    user = db.scalar(select(User).where(User.email_key == email_key(address)))
    if user is None:
        return _NewReviewer(address, given, family)
    if not user.is_active:
        raise ReviewError(_("This account is closed; invite someone else."))
    return user


def _with_reviewer_role(
    db: Session, journal_id: int, who: User | _NewReviewer, granted_by: User | None
) -> User:
    if isinstance(who, _NewReviewer):
        user = User(
            email=who.address,
            email_key=email_key(who.address),
            given_name=who.given,
            family_name=who.family,
            password_hash=None,
        )
        db.add(user)
        db.flush()
    else:
        user = who
        # Anyone may have registered this address: from now on only the invitation link
        # (sent to it) opens the account, not a password or session its registrant holds.
        end_unproven_access(user)
    if Role.REVIEWER not in user.roles_in(journal_id):
        db.add(
            RoleAssignment(
                user_id=user.id,
                journal_id=journal_id,
                role=Role.REVIEWER,
                granted_by_id=granted_by.id if granted_by else None,
            )
        )
        db.flush()
        db.refresh(user)
    return user


@dataclass(frozen=True)
class Invitation:
    assignment: ReviewAssignment
    token: str  # only here, for the email: the table keeps its hash


# Why an author cannot be invited, by how they match (see conflicts.author_match).
AUTHOR_REFUSALS: dict[str, TranslationString] = {
    "submitter": _("An author of the paper cannot review it: ${name} submitted it."),
    "account": _("An author of the paper cannot review it: ${name} is one of its listed authors."),
    "email": _(
        "An author of the paper cannot review it: ${name} has the email address of one of "
        "its listed authors."
    ),
    "orcid": _(
        "An author of the paper cannot review it: ${name} has the ORCID iD of one of its "
        "listed authors."
    ),
}
MIN_CONFLICT_REASON = 10


class ConflictWarnings(ReviewError):
    """The reviewer may have a conflict of interest: the editor is shown ``warnings`` and
    may invite all the same by giving a reason (``message`` says what is missing)."""

    def __init__(self, warnings: list[conflicts.ConflictWarning], message: TranslationString):
        super().__init__(message)
        self.warnings = warnings


def _check_not_author(submission: Submission, who: conflicts.Identity, name: str) -> None:
    how = conflicts.author_match(submission, who)
    if how is not None:
        raise ReviewError(_(AUTHOR_REFUSALS[how], mapping={"name": name}))


def _conflict_reason(
    db: Session, submission: Submission, who: User | _NewReviewer, reason: Any
) -> tuple[list[conflicts.ConflictWarning], str]:
    """The warnings about ``who`` and the editor's reason for going ahead; raises
    :class:`ConflictWarnings` when there are warnings and no (or too short a) reason."""
    warnings = conflicts.reviewer_warnings(
        db, submission, who if isinstance(who, User) else who.address
    )
    if not warnings:
        return [], ""
    text = clean_text(reason, MAX_SHORT_TEXT)
    if not text:
        raise ConflictWarnings(
            warnings,
            _(
                "This reviewer may have a conflict of interest. To invite them all the same, "
                "give your reason; it is kept in the submission's record."
            ),
        )
    if len(text) < MIN_CONFLICT_REASON:
        raise ConflictWarnings(
            warnings,
            _(
                "Give a reason of at least ${min} characters for inviting this reviewer "
                "despite the conflict.",
                mapping={"min": MIN_CONFLICT_REASON},
            ),
        )
    return warnings, text


def invite(
    db: Session,
    submission: Submission,
    editor: User | None,
    *,
    reviewer_id: Any = None,
    name: str = "",
    email: str = "",
    due: Any = None,
    conflict_reason: Any = "",
    letter: tuple[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite a reviewer to the submission's current round: an existing reviewer (by id) or
    someone new (name and address; an unverified account is made). An author of the paper
    is refused. A possible conflict of interest (same institution as an author, earlier
    co-authorship with one) raises :class:`ConflictWarnings` unless ``conflict_reason``
    says why the editor goes ahead; the warnings and the reason go into the audit trail.
    ``letter`` (subject, body) is the invitation as the editor edited it
    (:mod:`frontiers_de.review.services.letters`), checked here and sent as written; None
    sends the journal's template.
    Raises :class:`ReviewError` naming what is wrong; nothing is saved then."""
    now = now or utcnow()
    rnd = _open_round(db, submission, editor)
    due_at = parse_due(due, now)
    edited = _edited_letter(letter)
    who = _chosen_reviewer(db, submission, reviewer_id, name, email)
    if isinstance(who, User):
        _check_may_join(submission, rnd, who)
    warnings, reason = _conflict_reason(db, submission, who, conflict_reason)
    user = _with_reviewer_role(db, submission.journal_id, who, editor)
    return _record_invitation(
        db, submission, rnd, user, editor, now, due_at, warnings, reason, edited
    )


def _edited_letter(letter: tuple[str, str] | None) -> EditedLetter | None:
    if letter is None:
        return None
    try:
        return check_letter(TEMPLATE, *letter)
    except LetterError as exc:
        raise ReviewError(exc.message) from exc


def _open_round(db: Session, submission: Submission, editor: User | None) -> ReviewRound:
    """The round reviewers are invited to: the paper is under review, the editor may invite,
    and the current round is open."""
    if submission.state != SubmissionState.UNDER_REVIEW:
        raise ReviewError(_("Reviewers can be invited only while the paper is under review."))
    assignments.check_editor(
        submission, editor, _("Only the journal's editors may invite reviewers.")
    )
    rnd = workflow.current_round(db, submission)
    if rnd is None or rnd.closed_at is not None:
        raise ReviewError(_("There is no open review round."))
    return rnd


def may_invite(db: Session, submission: Submission, editor: User | None) -> bool:
    """Whether ``editor`` may invite reviewers now (:func:`invite` would not refuse for the
    paper's state, the editor or the round)."""
    try:
        _open_round(db, submission, editor)
    except ReviewError:
        return False
    return True


def _chosen_reviewer(
    db: Session, submission: Submission, reviewer_id: Any, name: str, email: str
) -> User | _NewReviewer:
    """The reviewer the editor chose from the list (by id), or the one named by address (an
    address of one of the paper's authors is refused before it is looked up)."""
    who: User | _NewReviewer
    if str(reviewer_id or "").strip():
        try:
            user = db.get(User, int(str(reviewer_id)))
        except ValueError:
            user = None
        if (
            user is None
            or not user.is_active
            or Role.REVIEWER not in user.roles_in(submission.journal_id)
        ):
            raise ReviewError(_("Choose a reviewer from the list."))
        who = user
    elif name.strip() or email.strip():
        if not email.strip():
            raise ReviewError(_("Give the reviewer's email address."))
        _check_not_author(submission, conflicts.address_identity(email), email.strip())
        who = _reviewer_by_address(db, name, email)
    else:
        raise ReviewError(_("Choose a reviewer, or give a new reviewer's name and address."))
    return who


def _check_may_join(submission: Submission, rnd: ReviewRound, who: User) -> None:
    """An existing account may join the round if it is not an author's and not invited yet."""
    _check_not_author(submission, conflicts.user_identity(who), who.display_name)
    if any(a.reviewer_id == who.id for a in rnd.assignments):
        raise ReviewError(
            _(
                "${name} is already invited to this round.",
                mapping={"name": who.display_name},
            )
        )


def _record_invitation(
    db: Session,
    submission: Submission,
    rnd: ReviewRound,
    user: User,
    editor: User | None,
    now: dt.datetime,
    due_at: dt.datetime,
    warnings: list[conflicts.ConflictWarning],
    reason: str,
    letter: EditedLetter | None = None,
) -> Invitation:
    """The invitation in the round, in its first state, with a fresh link token (only its
    hash is kept), the editor's edited letter if any, and its audit event with any conflict
    warnings and the editor's reason."""
    token = new_link_token()
    assignment = ReviewAssignment(
        reviewer_id=user.id,
        invited_by_id=editor.id if editor else None,
        state=assignments.START,
        token_hash=hash_link_token(token),
        invited_at=now,
        due_at=due_at,
        letter_subject=letter.subject if letter else "",
        letter_body=letter.body if letter else "",
    )
    rnd.assignments.append(assignment)
    db.flush()
    extra: dict[str, Any] = {}
    if warnings:
        extra = {"conflicts": [w.record() for w in warnings], "conflict_reason": reason}
    assignments.record(
        db,
        submission,
        editor,
        "review_invite",
        round=rnd.number,
        assignment=assignment.id,
        **extra,
    )
    events.notify(ReviewerInvited(db=db, assignment=assignment, token=token, editor=editor))
    return Invitation(assignment, token)


def _check_same_submission(submission: Submission, assignment: ReviewAssignment) -> None:
    if assignment.round.submission_id != submission.id:
        raise ReviewError(_("This invitation belongs to another submission."))


def cancel(
    db: Session,
    submission: Submission,
    assignment: ReviewAssignment,
    editor: User | None,
    now: dt.datetime | None = None,
) -> ReviewAssignment:
    """The editor withdraws an invitation, answered (accepted) or not. The link stops
    working (it answers "cancelled"); a draft review is kept, read-only,
    for the record. Raises :class:`ReviewError` and changes nothing when refused (the
    assignment table: :mod:`frontiers_de.review.assignments`)."""
    _check_same_submission(submission, assignment)
    now = now or utcnow()
    assignments.apply(db, assignment, "cancel", editor, detail={"at": now.isoformat()}, now=now)
    return assignment


def change_due(
    db: Session,
    submission: Submission,
    assignment: ReviewAssignment,
    editor: User | None,
    due: Any,
    now: dt.datetime | None = None,
) -> ReviewAssignment:
    """The editor gives the reviewer more time: a new due date, after today and after the
    current one. The new date is reminded of in its turn (the deadline engine keys what it
    sent by the due date). Raises :class:`ReviewError` and changes nothing when
    refused."""
    now = now or utcnow()
    _check_same_submission(submission, assignment)
    assignments.check(db, assignment, "change_due", editor)
    due_at = parse_due(due, now)
    if due_at.date() <= assignment.due_at.date():
        raise ReviewError(
            _(
                "The new due date must be later than the current one (${date}).",
                mapping={"date": assignment.due_at.date().isoformat()},
            )
        )
    assignments.apply(
        db,
        assignment,
        "change_due",
        editor,
        values={"due_at": due_at},
        detail={
            "old": assignment.due_at.date().isoformat(),
            "new": due_at.date().isoformat(),
        },
        now=now,
    )
    return assignment
