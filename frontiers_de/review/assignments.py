"""The review assignment workflow: the second transition table, beside the submission
workflow (:mod:`frontiers_de.editorial.workflow`) and on the same engine
(:mod:`frontiers_de.transitions`). One table says which move an invitation may make from
which state, who makes it, what it records, and why a move is refused; services and views
ask it and write no state themselves.

An assignment is made ``invited`` by :func:`frontiers_de.review.services.invite`; from
there::

    invited  --accept-->  accepted  --submit-->  submitted
    invited  --decline--> declined
    invited, accepted --cancel / cancel_on_decision--> cancelled
    accepted --save_draft--> accepted        (the review form, kept as a draft)
    invited, accepted --change_due--> (same) (a later due date)

Declined, submitted and cancelled are final. Every move but ``save_draft`` leaves an
append-only audit event on the submission; every move is announced as
:class:`~frontiers_de.review.events.AssignmentMoved` for other domains to react to.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.i18n import _
from frontiers_de.review.events import AssignmentMoved
from frontiers_de.review.models import AssignmentState as A
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import Submission, SubmissionState
from frontiers_de.transitions import Move, Table, TransitionNotAllowed

START = A.INVITED  # the state :func:`~frontiers_de.review.services.invite` makes
OPEN = frozenset({A.INVITED, A.ACCEPTED})  # the reviewer may still review
FINAL = frozenset({A.DECLINED, A.SUBMITTED, A.CANCELLED})
READS_MANUSCRIPT = frozenset({A.ACCEPTED, A.SUBMITTED})  # the reviewer opens the files


class ReviewError(Exception):
    """A step the review rules refuse; ``message`` is for the person who tried."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(str(message))
        self.message = message


class AssignmentMoveRefused(ReviewError, TransitionNotAllowed):
    """The assignment table refuses a move; nothing has changed."""


class Actor(enum.StrEnum):
    REVIEWER = "reviewer"  # the invited reviewer themself
    EDITOR = "editor"  # an editor of the journal who is not an author of the paper
    # A consequence of the decision an editor made (the submission workflow allowed it):
    # the deciding editor is its actor, checked as for EDITOR.
    DECISION = "decision"


@dataclass(frozen=True)
class AssignmentMove(Move[A]):
    """A move of the table. ``target`` None: the assignment keeps its state."""

    actor: Actor
    audit: str | None  # the audit event's action; None: the move records none
    # Why the move is refused from each state it does not start from (all of them: a test
    # holds the table to it).
    refusals: Mapping[A, TranslationString] = field(default_factory=dict)
    # Refusal while the assignment's round is closed or the paper has left review; None:
    # the move does not depend on the round.
    closed: TranslationString | None = None
    # Refusal for an actor the move is not theirs to make.
    not_yours: TranslationString | None = None
    stamps: tuple[str, ...] = ()  # columns set to the time of the move
    records_was: bool = False  # the audit detail names the state moved from


ANSWERED = _("This invitation has already been answered.")
NOT_YOURS = _("This invitation is not yours.")
EDITORS_ONLY = _("Only the journal's editors may change a reviewer's invitation.")
AUTHOR_AS_EDITOR = _("An author of the paper cannot act on it as an editor.")
_ANSWER_REFUSALS = {s: ANSWERED for s in A if s is not A.INVITED}
_WRITE_REFUSALS = {
    A.INVITED: _("Accept the invitation before writing the review."),
    A.DECLINED: _("You declined this invitation, so there is no review to write."),
    A.SUBMITTED: _("This review has been submitted and can no longer be changed."),
    A.CANCELLED: _("The editor has cancelled this review; it can no longer be changed."),
}
_EDIT_REFUSALS = {
    A.DECLINED: _("The reviewer declined this invitation."),
    A.SUBMITTED: _("The review has been submitted; it can no longer be changed."),
    A.CANCELLED: _("This invitation is already cancelled."),
}
_WRITE_CLOSED = _("This review round is closed; the editor has decided.")
_EDIT_CLOSED = _("This review round is closed; its invitations can no longer change.")

MOVES: Table[AssignmentMove] = Table(
    (
        AssignmentMove(
            "accept",
            frozenset({A.INVITED}),
            A.ACCEPTED,
            Actor.REVIEWER,
            "review_accept",
            _ANSWER_REFUSALS,
            not_yours=NOT_YOURS,
            stamps=("responded_at",),
        ),
        AssignmentMove(
            "decline",
            frozenset({A.INVITED}),
            A.DECLINED,
            Actor.REVIEWER,
            "review_decline",
            _ANSWER_REFUSALS,
            not_yours=NOT_YOURS,
            stamps=("responded_at",),
        ),
        AssignmentMove(
            "save_draft",
            frozenset({A.ACCEPTED}),
            None,
            Actor.REVIEWER,
            None,
            _WRITE_REFUSALS,
            closed=_WRITE_CLOSED,
            not_yours=NOT_YOURS,
        ),
        AssignmentMove(
            "submit",
            frozenset({A.ACCEPTED}),
            A.SUBMITTED,
            Actor.REVIEWER,
            "review_submit",
            _WRITE_REFUSALS,
            closed=_WRITE_CLOSED,
            not_yours=NOT_YOURS,
        ),
        AssignmentMove(
            "change_due",
            OPEN,
            None,
            Actor.EDITOR,
            "review_due_change",
            _EDIT_REFUSALS,
            closed=_EDIT_CLOSED,
            not_yours=EDITORS_ONLY,
        ),
        AssignmentMove(
            "cancel",
            OPEN,
            A.CANCELLED,
            Actor.EDITOR,
            "review_cancel",
            _EDIT_REFUSALS,
            closed=_EDIT_CLOSED,
            not_yours=EDITORS_ONLY,
            records_was=True,
        ),
        # The decision closes the round; the invitations still open end with it.
        AssignmentMove(
            "cancel_on_decision",
            OPEN,
            A.CANCELLED,
            Actor.DECISION,
            "review_cancel",
            _EDIT_REFUSALS,
            not_yours=EDITORS_ONLY,
            records_was=True,
        ),
    )
)


def submission_of(db: Session, assignment: ReviewAssignment) -> Submission:
    submission = db.get(Submission, assignment.round.submission_id)
    assert submission is not None
    return submission


def check_editor(
    submission: Submission, actor: User | None, refusal: TranslationString = EDITORS_ONLY
) -> None:
    """An editor of the journal who is not an author of the paper, or :class:`ReviewError`
    saying ``refusal``."""
    if not submission_rules.is_editor(actor, submission.journal_id):
        raise ReviewError(refusal)
    if conflicts.is_author(submission, actor):
        raise ReviewError(AUTHOR_AS_EDITOR)


def refusal(
    db: Session, assignment: ReviewAssignment, name: str, actor: User | None
) -> TranslationString | None:
    """Why ``actor`` may not make move ``name`` on ``assignment`` now, or None when they
    may. The checks run in one order: the actor, the assignment's state, its round."""
    move = MOVES.move(name)  # an unknown name: TransitionNotAllowed
    submission = submission_of(db, assignment)
    if move.actor is Actor.REVIEWER and (actor is None or actor.id != assignment.reviewer_id):
        return move.not_yours
    if move.actor in (Actor.EDITOR, Actor.DECISION):
        try:
            check_editor(submission, actor, move.not_yours or EDITORS_ONLY)
        except ReviewError as exc:
            return exc.message
    state = assignment.state
    if state not in move.sources:
        return move.refusals[state]  # every state a move does not start from has its reason
    if move.closed is not None and (
        assignment.round.closed_at is not None or submission.state != SubmissionState.UNDER_REVIEW
    ):
        return move.closed
    return None


def check(db: Session, assignment: ReviewAssignment, name: str, actor: User | None) -> None:
    """Raise :class:`AssignmentMoveRefused` if the table refuses the move now."""
    message = refusal(db, assignment, name, actor)
    if message is not None:
        raise AssignmentMoveRefused(message)


def may(db: Session, assignment: ReviewAssignment, name: str, actor: User | None) -> bool:
    return refusal(db, assignment, name, actor) is None


def available(db: Session, assignment: ReviewAssignment, actor: User | None) -> list[str]:
    """The moves ``actor`` could make now (for buttons on a page)."""
    return [name for name in MOVES if may(db, assignment, name, actor)]


def record(
    db: Session, submission: Submission, actor: User | None, action: str, **detail: Any
) -> AuditEvent:
    """An audit event of peer review on the submission's record: the submission's state is
    unchanged by it, so it is both the event's from and to state."""
    return workflow.audit(db, submission, actor, action, **detail)


def apply(
    db: Session,
    assignment: ReviewAssignment,
    name: str,
    actor: User | None,
    *,
    values: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent | None:
    """Make move ``name``: set the state, the move's time stamps and ``values`` (columns
    of the assignment the caller has checked), record the audit event with ``detail``,
    announce the move. Raises :class:`AssignmentMoveRefused` and changes nothing when the table
    refuses."""
    check(db, assignment, name, actor)
    move = MOVES[name]
    now = now or utcnow()
    before = assignment.state
    assignment.state = MOVES.target_of(name, before)
    for column in move.stamps:
        setattr(assignment, column, now)
    for column, value in (values or {}).items():
        setattr(assignment, column, value)
    db.flush()
    event = None
    if move.audit is not None:
        extra = {"was": before.value} if move.records_was else {}
        event = record(
            db,
            submission_of(db, assignment),
            actor,
            move.audit,
            assignment=assignment.id,
            **extra,
            **(detail or {}),
        )
    events.notify(
        AssignmentMoved(db=db, assignment=assignment, move=name, before=before, actor=actor)
    )
    return event
