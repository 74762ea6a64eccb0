"""Peer review rules: inviting reviewers to a round, the tokenised answer to an invitation,
the reviewer's own list and review (a draft, then submitted once), and what each party may
see of the others.

State changes of the submission itself go through the workflow table
(:mod:`frontiers_de.editorial.workflow`); this module works inside the round the table
opened. An invitation's own states (invited, accepted, declined, submitted, cancelled) go
through the second table, :mod:`frontiers_de.review.assignments`, which also says why a
move is refused; the functions here validate what the person sent and ask it. Who may see what:

* a reviewer sees only their own assignments (anything else is "not found"), and of the
  manuscript only the files of their assignment's round;
* in double-anonymous review a reviewer never sees the authors' names: the pages show no
  contributors, files are offered under neutral names, emails carry none;
* reviewers never see other reviewers (single- and double-anonymous modes);
* editors of the journal see everything, confidential comments included, except on a
  paper they are an author of (:func:`frontiers_de.editorial.conflicts.is_author`): for
  them its editorial side does not exist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import RoleAssignment, User, email_key
from frontiers_de.accounts.passwords import password_problem
from frontiers_de.accounts.services import (
    AccountAction,
    AccountService,
    account_may,
    confirm_address_by_link,
    end_unproven_access,
)
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.i18n import _
from frontiers_de.mail.sender import InvalidAddress, clean_address
from frontiers_de.review import assignments
from frontiers_de.review.assignments import ReviewError
from frontiers_de.review.events import ReviewerInvited
from frontiers_de.review.models import (
    AssignmentState,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
)
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.security.roles import Role
from frontiers_de.storage import FileStorage
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import (
    FileKind,
    ManuscriptFile,
    ReviewMode,
    Submission,
    SubmissionState,
)

# Settings and their defaults (days).
INVITATION_DAYS_SETTING = "fde.review.invitation_days"
DEFAULT_INVITATION_DAYS = ReviewSettings.invitation_days
DUE_DAYS_SETTING = "fde.review.due_days"
DEFAULT_DUE_DAYS = ReviewSettings.due_days
MAX_DUE_DAYS = 180
MAX_TEXT = 50000  # comments
MAX_SHORT_TEXT = 2000  # decline reason, suggestion
MAX_NAME = 200

# The criteria a reviewer scores from 1 (poor) to 5 (excellent).
CRITERIA: dict[str, TranslationString] = {
    "originality": _("Originality"),
    "rigour": _("Rigour of the methods"),
    "clarity": _("Clarity of writing"),
    "relevance": _("Relevance to the journal"),
}
SCORES = range(1, 6)
RECOMMENDATION_LABELS: dict[Recommendation, TranslationString] = {
    Recommendation.ACCEPT: _("Accept"),
    Recommendation.MINOR_REVISION: _("Minor revision"),
    Recommendation.MAJOR_REVISION: _("Major revision"),
    Recommendation.REJECT: _("Reject"),
}
STATE_LABELS: dict[AssignmentState, TranslationString] = {
    AssignmentState.INVITED: _("Invited, no answer yet"),
    AssignmentState.ACCEPTED: _("Accepted, review in progress"),
    AssignmentState.DECLINED: _("Declined"),
    AssignmentState.SUBMITTED: _("Review submitted"),
    AssignmentState.CANCELLED: _("Cancelled"),
}
ATTACHMENT_SUFFIXES = {
    ".pdf": "application/pdf",
    ".docx": submission_rules.MANUSCRIPT_SUFFIXES[".docx"],
    ".odt": submission_rules.MANUSCRIPT_SUFFIXES[".odt"],
    ".txt": "text/plain",
    ".md": "text/markdown",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvitationLinkError(Exception):
    """An invitation link that cannot be used: ``invalid``, ``expired``, ``used`` or
    ``cancelled``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(value: Any, limit: int) -> str:
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ReviewError(
            _("The text is too long: at most ${max} characters.", mapping={"max": limit})
        )
    return text


def is_anonymous_to_reviewers(submission: Submission) -> bool:
    return submission.review_mode == ReviewMode.DOUBLE_ANONYMOUS


def reviewers_named(submission: Submission) -> bool:
    """Whether reviewers' names may be shown to authors and to the other reviewers."""
    return submission.review_mode == ReviewMode.OPEN


# --- the editor's side -----------------------------------------------------------------------


def rounds(db: Session, submission: Submission) -> list[ReviewRound]:
    return list(
        db.scalars(
            select(ReviewRound)
            .where(ReviewRound.submission_id == submission.id)
            .order_by(ReviewRound.number)
        )
    )


def reviewer_candidates(db: Session, submission: Submission) -> list[User]:
    """Users with the reviewer role in the journal who are not among the paper's authors."""
    users = db.scalars(
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.journal_id == submission.journal_id,
            RoleAssignment.role == Role.REVIEWER,
            User.is_active.is_(True),
        )
        .order_by(User.family_name, User.given_name, User.id)
    ).unique()
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
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite a reviewer to the submission's current round: an existing reviewer (by id) or
    someone new (name and address; an unverified account is made). An author of the paper
    is refused. A possible conflict of interest (same institution as an author, earlier
    co-authorship with one) raises :class:`ConflictWarnings` unless ``conflict_reason``
    says why the editor goes ahead; the warnings and the reason go into the audit trail.
    Raises :class:`ReviewError` naming what is wrong; nothing is saved then."""
    now = now or utcnow()
    if submission.state != SubmissionState.UNDER_REVIEW:
        raise ReviewError(_("Reviewers can be invited only while the paper is under review."))
    assignments.check_editor(
        submission, editor, _("Only the journal's editors may invite reviewers.")
    )
    rnd = workflow.current_round(db, submission)
    if rnd is None or rnd.closed_at is not None:
        raise ReviewError(_("There is no open review round."))
    due_at = parse_due(due, now)
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
    if isinstance(who, User):
        _check_not_author(submission, conflicts.user_identity(who), who.display_name)
        if any(a.reviewer_id == who.id for a in rnd.assignments):
            raise ReviewError(
                _(
                    "${name} is already invited to this round.",
                    mapping={"name": who.display_name},
                )
            )
    warnings, reason = _conflict_reason(db, submission, who, conflict_reason)
    user = _with_reviewer_role(db, submission.journal_id, who, editor)
    token = new_link_token()
    assignment = ReviewAssignment(
        reviewer_id=user.id,
        invited_by_id=editor.id if editor else None,
        state=assignments.START,
        token_hash=hash_link_token(token),
        invited_at=now,
        due_at=due_at,
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


# The reminders tied to the due date: a new due date gets its own.
DUE_REMINDER_STAGES = ("due_soon", "overdue")


def change_due(
    db: Session,
    submission: Submission,
    assignment: ReviewAssignment,
    editor: User | None,
    due: Any,
    now: dt.datetime | None = None,
) -> ReviewAssignment:
    """The editor gives the reviewer more time: a new due date, after today and after the
    current one. The reminders recorded for the old date are forgotten, so that the new
    date is reminded of in its turn. Raises :class:`ReviewError` and changes nothing when
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
    sent = dict(assignment.reminders_sent or {})
    for stage in DUE_REMINDER_STAGES:
        sent.pop(stage, None)
    assignments.apply(
        db,
        assignment,
        "change_due",
        editor,
        # A new dict, so that the JSON column is seen to change.
        values={"due_at": due_at, "reminders_sent": sent},
        detail={
            "old": assignment.due_at.date().isoformat(),
            "new": due_at.date().isoformat(),
        },
        now=now,
    )
    return assignment


# --- the invitation link ---------------------------------------------------------------------


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


submission_of = assignments.submission_of


def accept(
    db: Session, assignment: ReviewAssignment, now: dt.datetime | None = None
) -> ReviewAssignment:
    """The reviewer agrees to review. Says nothing about the reviewer's address: only the
    emailed link confirms it (:func:`accept_by_link`)."""
    assignments.apply(db, assignment, "accept", _reviewer(db, assignment), now=now)
    return assignment


def _reviewer(db: Session, assignment: ReviewAssignment) -> User:
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
    reviewer = _reviewer(db, assignment)
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
    reviewer = _reviewer(db, assignment)
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


# --- the reviewer's side ---------------------------------------------------------------------


@dataclass(frozen=True)
class MyAssignment:
    assignment: ReviewAssignment
    submission: Submission


def my_assignments(db: Session, reviewer: User, journal_id: int) -> list[MyAssignment]:
    """The reviewer's own invitations and reviews in the journal, newest first."""
    rows = db.execute(
        select(ReviewAssignment, Submission)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .where(ReviewAssignment.reviewer_id == reviewer.id, Submission.journal_id == journal_id)
        .order_by(ReviewAssignment.invited_at.desc(), ReviewAssignment.id.desc())
    )
    return [MyAssignment(a, s) for a, s in rows]


def may_read_manuscript(assignment: ReviewAssignment) -> bool:
    return assignment.state in assignments.READS_MANUSCRIPT


def assignment_files(db: Session, assignment: ReviewAssignment) -> list[ManuscriptFile]:
    """What the reviewer of ``assignment`` may open of the manuscript: nothing before
    accepting, then the files of the assignment's own round (never a later one)."""
    if not may_read_manuscript(assignment):
        return []
    return reviewer_files(submission_of(db, assignment), assignment.round.number)


files_of_round = submission_rules.files_of_round


def reviewer_files(submission: Submission, round_number: int | None = None) -> list[ManuscriptFile]:
    """The files a reviewer of round ``round_number`` (every round when None) may open:
    the reviewer copy of that round's newest manuscript, its newest response to the
    reviewers, every figure and supplementary file up to it
    (:func:`~frontiers_de.submissions.services.reviewer_originals`), hidden names removed.
    A reviewer of round 1 who is not invited again never sees what the authors send for
    round 2. In double-anonymous review only copies are given, and only cleaned ones: an
    original without a copy, or one the anonymiser could not clean, is withheld (the
    editor's page says so). In the other modes an original without a copy is given as it
    is."""
    double = is_anonymous_to_reviewers(submission)
    copies = submission_rules.reviewer_copies(submission)
    out: list[ManuscriptFile] = []
    for original in submission_rules.reviewer_originals(submission, round_number):
        copy = copies.get(original.id)
        cleaned = copy is not None and (copy.anonymisation or {}).get("cleaned", True)
        if copy is not None and (cleaned or not double):
            out.append(copy)
        elif not double:
            out.append(original)
    return out


def reviewer_filename(submission: Submission, row: ManuscriptFile, position: int) -> str:
    """The name a reviewer sees: in double-anonymous review a neutral one (an author's file
    name often carries their name), otherwise the uploaded one."""
    if not is_anonymous_to_reviewers(submission):
        return row.filename
    suffix = PurePosixPath(row.filename.lower()).suffix
    kind = submission_rules.COPY_SOURCE_KINDS.get(row.kind, row.kind).value.replace("_", "-")
    return f"submission-{submission.id}-{kind}-{position}{suffix}"


def review_of(assignment: ReviewAssignment) -> Review | None:
    return assignment.review


def _check_attachment(filename: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    try:
        name = submission_rules.clean_filename(filename)
    except submission_rules.SubmissionError as exc:
        raise ReviewError(exc.message) from None
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ReviewError(
            _(
                "An attachment must be one of these file types: ${types}.",
                mapping={"types": ", ".join(sorted(ATTACHMENT_SUFFIXES))},
            )
        )
    if len(data) > max_bytes:
        raise ReviewError(_("The attachment is too large."))
    try:
        submission_rules.check_content(suffix, data)
    except submission_rules.SubmissionError as exc:
        raise ReviewError(exc.message) from None
    return name, ATTACHMENT_SUFFIXES[suffix]


def save_review(
    db: Session,
    assignment: ReviewAssignment,
    form: Mapping[str, Any],
    *,
    submit: bool,
    storage: FileStorage | None = None,
    attachment: tuple[str, bytes] | None = None,
    max_bytes: int = submission_rules.DEFAULT_MAX_UPLOAD_BYTES,
    now: dt.datetime | None = None,
) -> Review:
    """Save the reviewer's form as a draft, or submit it (then it is final). Refuses a review
    on an assignment not accepted (declined, cancelled, still only invited), a second
    submission, and a submission without a recommendation or with a score out of range;
    on refusal nothing is saved (the assignment table says when:
    :mod:`frontiers_de.review.assignments`)."""
    move = "submit" if submit else "save_draft"
    reviewer = _reviewer(db, assignment)
    assignments.check(db, assignment, move, reviewer)
    submission = submission_of(db, assignment)
    raw = str(form.get("recommendation") or "").strip()
    recommendation: Recommendation | None = None
    if raw:
        try:
            recommendation = Recommendation(raw)
        except ValueError:
            raise ReviewError(_("Choose one of the recommendations.")) from None
    scores: dict[str, int] = {}
    for key in CRITERIA:
        value = str(form.get(f"score_{key}") or "").strip()
        if not value:
            continue
        if not value.isdigit() or int(value) not in SCORES:
            raise ReviewError(_("Each score is a whole number from 1 to 5."))
        scores[key] = int(value)
    to_author = clean_text(form.get("comments_to_author"), MAX_TEXT)
    to_editor = clean_text(form.get("comments_to_editor"), MAX_TEXT)
    if submit:
        if recommendation is None:
            raise ReviewError(_("Choose a recommendation before submitting the review."))
        missing = [k for k in CRITERIA if k not in scores]
        if missing:
            raise ReviewError(_("Give a score for every criterion before submitting."))
        if not to_author:
            raise ReviewError(_("Write your comments to the author before submitting."))
    stored: ManuscriptFile | None = None
    if attachment is not None and attachment[0]:
        name, media_type = _check_attachment(attachment[0], attachment[1], max_bytes)
        assert storage is not None
        digest = storage.put(attachment[1])
        stored = ManuscriptFile(
            submission_id=submission.id,
            round_number=assignment.round.number,
            kind=FileKind.REVIEW_ATTACHMENT,
            filename=name,
            media_type=media_type,
            size=len(attachment[1]),
            sha256=digest,
            uploaded_by_id=assignment.reviewer_id,
        )
        db.add(stored)
        db.flush()
    review = assignment.review
    if review is None:
        review = Review(assignment_id=assignment.id)
        assignment.review = review
    review.recommendation = recommendation
    review.scores = scores
    review.comments_to_author = to_author
    review.comments_to_editor = to_editor
    if stored is not None:
        review.attachment_id = stored.id
    elif form.get("remove_attachment") == "yes":
        review.attachment_id = None
    now = now or utcnow()
    if submit:
        review.submitted_at = now
    db.flush()
    assignments.apply(db, assignment, move, reviewer, now=now)
    return review


def review_values(review: Review | None) -> dict[str, str]:
    if review is None:
        return {}
    values = {
        "recommendation": review.recommendation.value if review.recommendation else "",
        "comments_to_author": review.comments_to_author,
        "comments_to_editor": review.comments_to_editor,
    }
    for key, score in (review.scores or {}).items():
        values[f"score_{key}"] = str(score)
    return values


def attachment_of(db: Session, review: Review | None) -> ManuscriptFile | None:
    if review is None or review.attachment_id is None:
        return None
    return db.get(ManuscriptFile, review.attachment_id)


def reviewer_names(db: Session, submission: Submission) -> dict[int, User]:
    """Every reviewer of the submission's rounds by id (for the editors' page only)."""
    ids = {a.reviewer_id for rnd in rounds(db, submission) for a in rnd.assignments}
    if not ids:
        return {}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))}


def attachments_by_review(db: Session, submission: Submission) -> dict[int, ManuscriptFile]:
    """The attachment of each review of the submission, by review id (editors only)."""
    out: dict[int, ManuscriptFile] = {}
    for rnd in rounds(db, submission):
        for a in rnd.assignments:
            row = attachment_of(db, a.review)
            if row is not None and a.review is not None:
                out[a.review.id] = row
    return out
