"""The submission workflow: one table says who may move a submission from which state to
which. Views, tasks and the command line ask it; none re-implements it.

Every move is a named transition with a guard and leaves an append-only AuditEvent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, object_session

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import conflicts
from frontiers_de.editorial.events import SubmissionMoved
from frontiers_de.editorial.models import AuditEvent, Decision, DecisionKind, EditorSection
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.permissions import CHIEF, EDITORS, PRODUCTION
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission
from frontiers_de.submissions.models import SubmissionState as S
from frontiers_de.transitions import Move, Table, TransitionNotAllowed

# EDITORS, PRODUCTION and CHIEF (imported above) are the roles holding the edit, produce and
# manage-editors permissions: security/permissions.py is the one map of roles to rights.
BEFORE_ACCEPTANCE = frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REVISION_REQUESTED})


class AuthorConflict(TransitionNotAllowed):
    """The actor is an author of the submission: no move through a journal role."""


@dataclass(frozen=True)
class Transition(Move[S]):
    # target None: the target depends on the decision (see ``decide``)
    roles: frozenset[Role]  # any of these roles in the submission's journal may do it
    submitter_may: bool = False  # the submitting author may do it too


TRANSITIONS: Table[Transition] = Table(
    (
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, frozenset(), submitter_may=True),
        Transition("desk_reject", frozenset({S.SUBMITTED}), S.REJECTED, EDITORS),
        Transition("send_to_review", frozenset({S.SUBMITTED}), S.UNDER_REVIEW, EDITORS),
        Transition("decide", frozenset({S.UNDER_REVIEW}), None, EDITORS),
        Transition(
            "resubmit",
            frozenset({S.REVISION_REQUESTED}),
            S.UNDER_REVIEW,
            frozenset(),
            submitter_may=True,
        ),
        Transition("withdraw", BEFORE_ACCEPTANCE, S.WITHDRAWN, EDITORS, submitter_may=True),
        Transition("start_production", frozenset({S.ACCEPTED}), S.IN_PRODUCTION, PRODUCTION),
        Transition("publish", frozenset({S.IN_PRODUCTION}), S.PUBLISHED, PRODUCTION),
        Transition("correct", frozenset({S.PUBLISHED, S.CORRECTED}), S.CORRECTED, CHIEF),
        Transition("retract", frozenset({S.PUBLISHED, S.CORRECTED}), S.RETRACTED, CHIEF),
    ),
)

DECISION_TARGETS: dict[DecisionKind, S] = {
    DecisionKind.ACCEPT: S.ACCEPTED,
    DecisionKind.MINOR_REVISION: S.REVISION_REQUESTED,
    DecisionKind.MAJOR_REVISION: S.REVISION_REQUESTED,
    DecisionKind.REJECT: S.REJECTED,
}


def actor_roles(actor: User | None, journal_id: int) -> set[Role]:
    return actor.roles_in(journal_id) if actor is not None else set()


def may(submission: Submission, name: str, actor: User | None) -> bool:
    """Whether ``actor`` may make transition ``name`` on ``submission`` now.

    The submitter's own moves (submit, resubmit, withdraw) aside, every move is made
    through a journal role, and an author of the paper (the submitter or a listed author,
    see :func:`~frontiers_de.editorial.conflicts.is_author`) never makes one on it,
    whatever roles they hold: an editor does not decide on their own paper."""
    t = TRANSITIONS[name]
    if not TRANSITIONS.starts_from(name, submission.state) or actor is None:
        return False
    if t.submitter_may and submission.submitter_id == actor.id:
        return True
    if conflicts.is_author(submission, actor):
        return False
    through = actor_roles(actor, submission.journal_id) & t.roles
    if through == {Role.SECTION_EDITOR}:  # a section editor's moves stay in their scope
        return in_scope(submission, actor)
    return bool(through)


def editor_section_ids(db: Session, user_id: int, journal_id: int) -> set[int]:
    """The sections of the journal whose papers section editor ``user_id`` handles."""
    return set(
        db.scalars(
            select(EditorSection.section_id).where(
                EditorSection.user_id == user_id, EditorSection.journal_id == journal_id
            )
        )
    )


def in_scope(submission: Submission, actor: User | None) -> bool:
    """Whether ``submission`` is among the papers ``actor`` handles as an editor: the
    editor-in-chief and administrators handle all; a section editor the papers assigned to
    them and those of their sections, or every paper when they have no section (a journal
    that has not split its editors by section). Roles and conflicts are asked elsewhere."""
    if actor is None:
        return False
    roles = actor_roles(actor, submission.journal_id)
    if roles & (EDITORS - {Role.SECTION_EDITOR}):
        return True
    if submission.handling_editor_id == actor.id:
        return True
    db = object_session(submission)
    sections = editor_section_ids(db, actor.id, submission.journal_id) if db else set()
    return not sections or submission.section_id in sections


def scope_condition(db: Session, journal_id: int, editor: User | None) -> ColumnElement[bool]:
    """:func:`in_scope` as a condition on ``Submission`` (the papers of the journal
    ``editor`` handles), for the lists to filter in the database."""
    if editor is None:
        return false()
    if actor_roles(editor, journal_id) & (EDITORS - {Role.SECTION_EDITOR}):
        return true()
    sections = editor_section_ids(db, editor.id, journal_id)
    if not sections:
        return true()
    return or_(Submission.handling_editor_id == editor.id, Submission.section_id.in_(sections))


def may_handle(submission: Submission, actor: User | None) -> bool:
    """Whether ``actor`` may see the editorial side of ``submission`` (its queue actions,
    rounds, reviews and decision): an editor of its journal, once it is submitted, who is
    not an author of it, not one of its reviewers (:func:`~conflicts.is_reviewer`) and in
    whose scope it is (:func:`in_scope`). Drafts are the author's own; an author never sees
    the editorial side of their paper, nor a reviewer the other reviews, whatever roles
    they hold."""
    return (
        actor is not None
        and submission.state != S.DRAFT
        and bool(actor_roles(actor, submission.journal_id) & EDITORS)
        and not conflicts.is_author(submission, actor)
        and in_scope(submission, actor)
        and not conflicts.is_reviewer(submission, actor)
    )


def is_party(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` is an author or a reviewer of ``submission``: the people of the
    paper, for whom its editorial side does not exist (its pages answer 404, whatever roles
    they hold, as for an id that is not there)."""
    return conflicts.is_author(submission, user) or conflicts.is_reviewer(submission, user)


def handled_condition(db: Session, journal_id: int, editor: User | None) -> ColumnElement[bool]:
    """:func:`may_handle` as a condition on ``Submission`` (for the editors' lists): the
    journal's papers past the draft in ``editor``'s scope, less those they are an author or
    a reviewer of. The author match is approximate in SQL (``lower()`` for the casefolded
    email key): the rows a list shows are checked with :func:`may_handle` again."""
    if editor is None or not actor_roles(editor, journal_id) & EDITORS:
        return false()
    return and_(
        Submission.journal_id == journal_id,
        Submission.state != S.DRAFT,
        scope_condition(db, journal_id, editor),
        ~conflicts.authored_condition(editor),
        ~conflicts.reviewed_condition(editor),
    )


def handled(submissions: Iterable[Submission], editor: User | None) -> list[Submission]:
    """``submissions`` less those ``editor`` may not handle (:func:`may_handle`)."""
    return [s for s in submissions if may_handle(s, editor)]


def available(submission: Submission, actor: User | None) -> list[str]:
    """The transitions ``actor`` could make now (for buttons on a page)."""
    return [name for name in TRANSITIONS if may(submission, name, actor)]


def audit_event(
    db: Session,
    submission: Submission,
    actor: User | None,
    action: str,
    before: S | None,
    detail: dict[str, Any],
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Record one thing that happened to a submission: the one place an AuditEvent is made.

    ``before`` is the state it was in (None: it did not exist yet); the event's to-state is
    the state it is in now; ``at`` is when it happened (default: now).
    """
    event = AuditEvent(
        journal_id=submission.journal_id,
        submission_id=submission.id,
        actor_id=actor.id if actor else None,
        action=action,
        from_state=before.value if before is not None else None,
        to_state=submission.state.value,
        detail=detail,
    )
    if at is not None:
        event.created_at = at
    db.add(event)
    return event


def audit(
    db: Session, submission: Submission, actor: User | None, action: str, /, **detail: Any
) -> AuditEvent:
    """Record a step that leaves the submission in its state (a review invited, a proof sent)."""
    return audit_event(db, submission, actor, action, submission.state, detail)


def _open_round(db: Session, submission: Submission) -> ReviewRound:
    last = db.scalar(
        select(func.max(ReviewRound.number)).where(ReviewRound.submission_id == submission.id)
    )
    rnd = ReviewRound(submission_id=submission.id, number=(last or 0) + 1)
    db.add(rnd)
    return rnd


def current_round(db: Session, submission: Submission) -> ReviewRound | None:
    """The submission's latest review round (the one the workflow opened last), or None."""
    return db.scalar(
        select(ReviewRound)
        .where(ReviewRound.submission_id == submission.id)
        .order_by(ReviewRound.number.desc())
        .limit(1)
    )


def _refusal(submission: Submission, name: str, actor: User | None) -> TransitionNotAllowed:
    """Why ``actor`` may not make ``name`` now (an author's conflict named as such)."""
    t = TRANSITIONS[name]
    if (
        submission.state in t.sources
        and actor is not None
        and actor_roles(actor, submission.journal_id) & t.roles
        and conflicts.is_author(submission, actor)
    ):
        return AuthorConflict(
            f"{name.replace('_', ' ')} is not allowed: the user is an author of this submission"
        )
    return TransitionNotAllowed(
        f"{name.replace('_', ' ')} is not allowed for this user while the submission "
        f"is {submission.state.value.replace('_', ' ')}"
    )


def _decide(
    db: Session,
    submission: Submission,
    kind: DecisionKind,
    actor: User | None,
    letter: str,
    now: dt.datetime,
    rnd: ReviewRound | None = None,
    letter_subject: str = "",
) -> None:
    """Record decision ``kind`` (closing round ``rnd``) and move to its target state."""
    db.add(
        Decision(
            submission_id=submission.id,
            round_id=rnd.id if rnd else None,
            editor_id=actor.id if actor else None,
            kind=kind,
            letter=letter,
            letter_subject=letter_subject,
            decided_at=now,
        )
    )
    if rnd is not None:
        rnd.closed_at = now
    if kind is DecisionKind.DESK_REJECT:
        submission.state = S.REJECTED
        return
    submission.state = DECISION_TARGETS[kind]
    if kind is DecisionKind.ACCEPT:
        submission.accepted_at = now


def apply(
    db: Session,
    submission: Submission,
    name: str,
    actor: User | None,
    *,
    decision: DecisionKind | None = None,
    letter: str = "",
    letter_subject: str = "",
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Make transition ``name`` or raise :class:`TransitionNotAllowed` (nothing changed).

    ``now`` is when it happens (default: the current time): the decision, the audit event
    and the dates it sets carry it. ``detail`` goes into the audit event. A decision's
    ``letter_subject`` says its ``letter`` is the whole email as the editor wrote it. Once written,
    :class:`~frontiers_de.editorial.events.SubmissionMoved` is announced (other domains
    react in their subscribers: the DOI on acceptance is Crossref's).
    """
    TRANSITIONS.move(name)
    if not may(submission, name, actor):
        raise _refusal(submission, name, actor)
    if name == "decide" and (decision is None or decision not in DECISION_TARGETS):
        raise TransitionNotAllowed("a decision (accept, minor/major revision, reject) is needed")
    now = now or utcnow()
    detail = dict(detail or {})
    before = submission.state
    kind: DecisionKind | None = None
    if name == "decide":
        assert decision is not None
        kind = decision
        rnd = current_round(db, submission)
        _decide(db, submission, kind, actor, letter, now, rnd, letter_subject)
        detail["decision"] = kind.value
    elif name == "desk_reject":
        kind = DecisionKind.DESK_REJECT
        _decide(db, submission, kind, actor, letter, now)
    else:
        target = TRANSITIONS[name].target
        assert target is not None
        submission.state = target
        if name == "submit":
            submission.submitted_at = now
        if name in ("send_to_review", "resubmit"):
            _open_round(db, submission)
    db.flush()
    event = audit_event(db, submission, actor, name, before, detail, now)
    moved = SubmissionMoved(
        db=db,
        submission=submission,
        transition=name,
        before=before,
        actor=actor,
        audit=event,
        decision=kind,
        letter=letter,
    )
    events.notify(moved)
    return event
