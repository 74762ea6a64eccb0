"""Editorial rules on new submissions: the editors' queue and the first decision on a
submitted paper (desk reject with a reason, or send to peer review).

Every state change goes through the workflow table
(:func:`frontiers_de.editorial.workflow.apply`); this module adds what the table does not
know: the reason an author is owed when a paper is rejected without review, and which
submissions an editor sees in the queue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session, selectinload

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, Decision, DecisionKind
from frontiers_de.i18n import _
from frontiers_de.mail.letters import EditedLetter, LetterError, check_letter
from frontiers_de.storage import FileStorage
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import ReviewMode, Submission, SubmissionState

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


# The queue's views of who handles a paper: the editor's own, or nobody's yet.
HANDLING_FILTERS = ("me", "unassigned")


def handling_condition(editor: User | None, handling: str | None) -> ColumnElement[bool]:
    """``handling`` ("me", "unassigned", anything else: all) as a condition on Submission."""
    if handling == "me":
        return Submission.handling_editor_id == (editor.id if editor else None)
    if handling == "unassigned":
        return Submission.handling_editor_id.is_(None)
    return true()


def _queue(
    db: Session,
    journal_id: int,
    editor: User | None,
    states: tuple[SubmissionState, ...],
    handling: str | None,
) -> list[Submission]:
    rows = db.scalars(
        select(Submission)
        .where(
            workflow.handled_condition(db, journal_id, editor),
            Submission.state.in_(states),
            handling_condition(editor, handling),
        )
        .options(selectinload(Submission.contributors))
        .order_by(Submission.submitted_at, Submission.id)
    )
    return workflow.handled(rows, editor)


def new_submissions(
    db: Session, journal_id: int, editor: User | None, handling: str | None = None
) -> list[QueueEntry]:
    """Submitted papers waiting for a first decision, oldest first, each with the queue
    actions the workflow allows ``editor`` in its state: those ``editor`` handles
    (``workflow.in_scope``), all of them or (``handling``) those assigned to them or to
    nobody. The editor's own papers (as submitter or listed author) and those they were
    invited to review are not among them (``workflow.may_handle``)."""
    rows = _queue(db, journal_id, editor, (SubmissionState.SUBMITTED,), handling)
    return [
        QueueEntry(s, [a for a in workflow.available(s, editor) if a in QUEUE_ACTIONS])
        for s in rows
    ]


def in_review(
    db: Session, journal_id: int, editor: User | None, handling: str | None = None
) -> list[Submission]:
    """Papers in peer review or waiting for the authors' revision, oldest first, chosen as
    in :func:`new_submissions`."""
    states = (SubmissionState.UNDER_REVIEW, SubmissionState.REVISION_REQUESTED)
    return _queue(db, journal_id, editor, states, handling)


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
    db: Session,
    submission: Submission,
    action: str,
    editor: User | None,
    reason: str = "",
    *,
    storage: FileStorage | None = None,
    anonymity_checked: bool = False,
) -> AuditEvent:
    """Make a queue action through the workflow table. Raises :class:`EditorialError` for
    an unknown action or a missing reason, ``TransitionNotAllowed`` when the table says no
    (another editor was quicker, the author withdrew); nothing changes then.

    Sending to review (with ``storage``) makes any reviewer copy still missing; in
    double-anonymous review, when the anonymity check lists a possible leak (not a
    self-citation) or a file that could not be cleaned, the editor must say they have read
    it (``anonymity_checked``)."""
    if action not in QUEUE_ACTIONS:
        raise EditorialError(_("There is no such action."))
    if action == "desk_reject":
        letter = clean_reason(reason)
        return workflow.apply(db, submission, action, editor, letter=letter)
    detail: dict[str, object] = {}
    if storage is not None and workflow.may(submission, action, editor):
        submission_rules.make_reviewer_copies(db, storage, submission)
        if submission.review_mode == ReviewMode.DOUBLE_ANONYMOUS:
            flagged = [
                c
                for c in submission_rules.anonymity_check(storage, submission)
                if c.needs_attention
            ]
            if flagged and not anonymity_checked:
                raise EditorialError(
                    _(
                        "The anonymity check lists ${count} file(s) that may name the "
                        "authors. Read the list, then tick the box to confirm before "
                        "sending the paper to review.",
                        mapping={"count": len(flagged)},
                    )
                )
            if flagged:
                detail["anonymity_flags"] = [c.original.id for c in flagged]
    return workflow.apply(db, submission, action, editor, detail=detail)


# --- the decision after peer review ----------------------------------------------------------

DECISIONS: dict[DecisionKind, TranslationString] = {
    DecisionKind.ACCEPT: _("Accept"),
    DecisionKind.MINOR_REVISION: _("Minor revision"),
    DecisionKind.MAJOR_REVISION: _("Major revision"),
    DecisionKind.REJECT: _("Reject"),
}
DECISION_LABELS: dict[DecisionKind, TranslationString] = {
    **DECISIONS,
    DecisionKind.DESK_REJECT: _("Rejected without review"),
}
MIN_MESSAGE_LENGTH = 20


def reviews_for_author(db: Session, submission: Submission) -> list[tuple[str, str]]:
    """The submitted reviews of the current round as (heading, comments to the author):
    "Reviewer 1", "Reviewer 2" … in order of invitation; the reviewer's name only in open
    review. The confidential comments to the editor are never among them."""
    return [(heading, text) for _id, heading, text in reviews_of_round(db, submission)]


def reviews_of_round(
    db: Session, submission: Submission, round_id: int | None = None
) -> list[tuple[int, str, str]]:
    """:func:`reviews_for_author` of round ``round_id`` (the current round when None), each
    with the id of its review assignment: (assignment id, heading, comments to the author),
    numbered as the author's letter numbers them."""
    from frontiers_de.review import services as review_services
    from frontiers_de.review.models import ReviewRound

    rnd = db.get(ReviewRound, round_id) if round_id else workflow.current_round(db, submission)
    if rnd is None or rnd.submission_id != submission.id:
        return []
    named = review_services.reviewers_named(submission)
    out: list[tuple[int, str, str]] = []
    for a in rnd.assignments:
        review = a.review
        if review is None or review.submitted_at is None or not review.comments_to_author:
            continue
        heading = f"Reviewer {len(out) + 1}"
        if named:
            reviewer = db.get(User, a.reviewer_id)
            if reviewer is not None:
                heading = f"{heading} ({reviewer.display_name})"
        out.append((a.id, heading, review.comments_to_author))
    return out


def decision_letter(db: Session, submission: Submission, message: str) -> str:
    """The letter the author gets: the editor's message, then each review's comments to the
    author, quoted."""
    parts = [message.strip()]
    for heading, comments in reviews_for_author(db, submission):
        quoted = "\n".join(f"> {line}" if line else ">" for line in comments.splitlines())
        parts.append(f"{heading}:\n\n{quoted}")
    return "\n\n".join(parts)


# Decisions that close a paper's review (for good or towards publication) rest on at least
# one submitted review, unless the editor says why not.
NEED_REVIEWS = frozenset({DecisionKind.ACCEPT, DecisionKind.REJECT})


def submitted_reviews(db: Session, round_id: int | None) -> int:
    """How many reviews were submitted in the round (0 for no round)."""
    from frontiers_de.review.models import Review, ReviewAssignment

    if round_id is None:
        return 0
    count = db.scalar(
        select(func.count(Review.id))
        .join(ReviewAssignment, ReviewAssignment.id == Review.assignment_id)
        .where(ReviewAssignment.round_id == round_id, Review.submitted_at.is_not(None))
    )
    return int(count or 0)


@dataclass(frozen=True)
class DecisionOutcome:
    event: AuditEvent
    # The invitations still open in the round that the decision cancelled: their
    # reviewers are owed an email.
    cancelled: list[Any]


def decide(
    db: Session,
    submission: Submission,
    editor: User | None,
    kind: str,
    message: str,
    *,
    without_reviews: bool = False,
    without_reviews_reason: str = "",
    letter: tuple[str, str] | None = None,
) -> DecisionOutcome:
    """The editor's decision on a reviewed paper, through the workflow table (which refuses
    it outside ``under_review``, for someone who is not an editor, or for an author of the
    paper: TransitionNotAllowed).

    Accepting or rejecting needs at least one submitted review in the round, unless the
    editor ticks ``without_reviews`` and gives ``without_reviews_reason`` (kept in the
    audit trail). The invitations still open in the round are cancelled: their links stop
    working, the reviewers' pages say so, and the outcome lists them so that each reviewer
    is told. Raises :class:`EditorialError` for an unknown decision, a missing message or
    missing reviews; nothing changes then.

    With ``letter`` (subject, body: the whole email as the editor edited it from the
    journal's template, :mod:`frontiers_de.editorial.letters`), ``message`` is not used: the
    letter is checked, stored with the decision and sent as written."""
    from frontiers_de.review import assignments

    try:
        decision = DecisionKind(str(kind or ""))
    except ValueError:
        decision = None
    if decision not in DECISIONS:
        raise EditorialError(_("Choose a decision: accept, minor or major revision, or reject."))
    edited = _edited_letter(letter)
    text = edited.body if edited else _message(message)
    rnd = workflow.current_round(db, submission)
    detail: dict[str, Any] = {}
    if submitted_reviews(db, rnd.id if rnd else None) == 0:
        if decision in NEED_REVIEWS and not without_reviews:
            raise EditorialError(
                _(
                    "No review has been submitted in this round. To accept or reject "
                    'without reviews, tick "Decide without reviews" and give your reason.'
                )
            )
        if without_reviews:
            reason = _CONTROL.sub("", without_reviews_reason or "").strip()
            if len(reason) < MIN_REASON_LENGTH or len(reason) > MAX_REASON_LENGTH:
                raise EditorialError(
                    _(
                        "Give the reason for deciding without reviews (${min} to ${max} "
                        "characters); it is kept in the submission's record.",
                        mapping={"min": MIN_REASON_LENGTH, "max": MAX_REASON_LENGTH},
                    )
                )
            detail = {"without_reviews": True, "without_reviews_reason": reason}
    ends = assignments.MOVES["cancel_on_decision"].sources
    cancelled = [a for a in (rnd.assignments if rnd else []) if a.state in ends]
    if cancelled:
        detail["cancelled_assignments"] = [a.id for a in cancelled]
    event = workflow.apply(
        db,
        submission,
        "decide",
        editor,
        decision=decision,
        letter=text if edited else decision_letter(db, submission, text),
        letter_subject=edited.subject if edited else "",
        detail=detail,
    )
    for a in cancelled:
        assignments.apply(db, a, "cancel_on_decision", editor, detail={"by": "decision"})
    db.flush()
    return DecisionOutcome(event, cancelled)


def decisions(db: Session, submission: Submission) -> list[Decision]:
    """Every decision on the submission, oldest first (the author sees them with letters)."""
    return list(
        db.scalars(
            select(Decision)
            .where(Decision.submission_id == submission.id)
            .order_by(Decision.decided_at, Decision.id)
        )
    )


def _message(message: str) -> str:
    """The editor's part of a letter wrapped in the journal's template, checked."""
    text = _CONTROL.sub("", message or "").strip()
    if len(text) < MIN_MESSAGE_LENGTH:
        raise EditorialError(
            _(
                "Write the letter to the author (at least ${min} characters); the reviews' "
                "comments to the author are added below it.",
                mapping={"min": MIN_MESSAGE_LENGTH},
            )
        )
    if len(text) > MAX_REASON_LENGTH:
        raise EditorialError(
            _(
                "The letter is too long: at most ${max} characters.",
                mapping={"max": MAX_REASON_LENGTH},
            )
        )
    return text


def _edited_letter(letter: tuple[str, str] | None) -> EditedLetter | None:
    if letter is None:
        return None
    try:
        return check_letter("editorial_decision", *letter)
    except LetterError as exc:
        raise EditorialError(exc.message) from exc


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def letter_for_kind(
    kind: str, subject: str, body: str, prefilled: Mapping[str, EditedLetter]
) -> tuple[str, str]:
    """The letter posted with decision ``kind``: when it is the untouched pre-filled letter
    of another kind (the page's script did not swap it: no JavaScript), the pre-filled
    letter of ``kind``, so that the author is not told the wrong decision."""
    if kind in prefilled:
        for other, letter in prefilled.items():
            if other != kind and _same_text(body, letter.body):
                return prefilled[kind].subject, prefilled[kind].body
    return subject, body


def decide_from_form(
    db: Session,
    submission: Submission,
    editor: User,
    form: Any,
    prefilled: Mapping[str, EditedLetter] | None = None,
) -> None:
    """:func:`decide` with the fields the decision form (``templates/editorial/_decide.html``)
    posts, from the review page and from the reviews side by side alike. A form with a
    ``subject`` posts the whole letter (pre-filled per kind, ``prefilled``, from
    :func:`frontiers_de.editorial.letters.decision_letters`); without one, ``message`` is
    the editor's part of the journal's letter."""
    kind = str(form.get("decision", ""))
    letter = None
    if "subject" in form:
        letter = letter_for_kind(
            kind, str(form.get("subject", "")), str(form.get("message", "")), prefilled or {}
        )
    decide(
        db,
        submission,
        editor,
        kind,
        str(form.get("message", "")),
        without_reviews=form.get("without_reviews") == "yes",
        without_reviews_reason=str(form.get("without_reviews_reason", "")),
        letter=letter,
    )
