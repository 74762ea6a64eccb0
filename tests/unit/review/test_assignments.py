"""The review assignment table: every move it allows (state, audit event, hooks), and every
move it refuses, from each state, with the reason the person who tried is shown; a refused
move changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.editorial.models import AuditEvent
from frontiers_de.review import assignments, services
from frontiers_de.review.assignments import MOVES, AssignmentMoveRefused
from frontiers_de.review.events import AssignmentMoved
from frontiers_de.review.models import AssignmentState as A
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.submissions.models import SubmissionState
from frontiers_de.transitions import TransitionNotAllowed
from tests.factories import make_user
from tests.review_factories import NOW, invite

# Every move the table allows: (move, from, to, audit action or None).
ALLOWED = [
    ("accept", A.INVITED, A.ACCEPTED, "review_accept"),
    ("decline", A.INVITED, A.DECLINED, "review_decline"),
    ("save_draft", A.ACCEPTED, A.ACCEPTED, None),
    ("submit", A.ACCEPTED, A.SUBMITTED, "review_submit"),
    ("change_due", A.INVITED, A.INVITED, "review_due_change"),
    ("change_due", A.ACCEPTED, A.ACCEPTED, "review_due_change"),
    ("cancel", A.INVITED, A.CANCELLED, "review_cancel"),
    ("cancel", A.ACCEPTED, A.CANCELLED, "review_cancel"),
    ("cancel_on_decision", A.INVITED, A.CANCELLED, "review_cancel"),
    ("cancel_on_decision", A.ACCEPTED, A.CANCELLED, "review_cancel"),
]

ANSWERED = "already been answered"
WRITE = {
    A.INVITED: "Accept the invitation before writing",
    A.DECLINED: "You declined this invitation",
    A.SUBMITTED: "has been submitted and can no longer be changed",
    A.CANCELLED: "The editor has cancelled this review",
}
EDIT = {
    A.DECLINED: "The reviewer declined this invitation",
    A.SUBMITTED: "The review has been submitted; it can no longer be changed",
    A.CANCELLED: "already cancelled",
}
# Every move the table refuses by state, and the reason it gives.
REFUSED = (
    [(m, s, ANSWERED) for m in ("accept", "decline") for s in A if s is not A.INVITED]
    + [(m, s, text) for m in ("save_draft", "submit") for s, text in WRITE.items()]
    + [
        (m, s, text)
        for m in ("change_due", "cancel", "cancel_on_decision")
        for s, text in EDIT.items()
    ]
)


def _actor(world, name):
    return {
        assignments.Actor.REVIEWER: world.reviewer,
        assignments.Actor.EDITOR: world.editor,
        assignments.Actor.DECISION: world.editor,
    }[MOVES[name].actor]


def _assignment(db, world, state) -> ReviewAssignment:
    a = invite(db, world).assignment
    a.state = state  # the table's input, set directly: what is under test is the move
    db.flush()
    return a


def _events(db, world) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == world.submission.id)
            .where(AuditEvent.action != "send_to_review")
            .order_by(AuditEvent.id)
        )
    )


def test_the_table_lists_every_move_and_a_reason_for_each_state_it_refuses():
    assert [(m, s, t) for m, s, t, _a in ALLOWED] == [
        (name, source, MOVES.target_of(name, source))
        for name in MOVES
        for source in sorted(MOVES[name].sources, key=list(A).index)
    ]
    assert sorted((m, s) for m, s, _t in REFUSED) == sorted(
        (name, s) for name in MOVES for s in A if s not in MOVES[name].sources
    )
    for name in MOVES:
        assert set(MOVES[name].refusals) == set(A) - MOVES[name].sources


@pytest.mark.parametrize(("name", "source", "target", "audit"), ALLOWED)
def test_every_allowed_move(dbsession, world, announced, name, source, target, audit):
    a = _assignment(dbsession, world, source)
    before = len(_events(dbsession, world))
    moved = announced(AssignmentMoved)
    event = assignments.apply(dbsession, a, name, _actor(world, name), now=NOW)
    assert a.state is target
    assert [(m.assignment.id, m.move, m.before, m.actor.id) for m in moved] == [
        (a.id, name, source, _actor(world, name).id)
    ]
    events = _events(dbsession, world)
    if audit is None:
        assert event is None and len(events) == before
        return
    assert event is events[-1] and len(events) == before + 1
    assert event.action == audit and event.detail["assignment"] == a.id
    assert event.actor_id == _actor(world, name).id
    # The submission's own state is unchanged by a move of one of its invitations.
    assert event.from_state == event.to_state == SubmissionState.UNDER_REVIEW.value
    if name.startswith("cancel"):
        assert event.detail["was"] == source.value
    if name in ("accept", "decline"):
        assert a.responded_at == NOW


@pytest.mark.parametrize(("name", "source", "message"), REFUSED)
def test_every_refused_move_says_why_and_changes_nothing(
    dbsession, world, announced, name, source, message
):
    a = _assignment(dbsession, world, source)
    before = len(_events(dbsession, world))
    ran = announced(AssignmentMoved)
    with pytest.raises(AssignmentMoveRefused, match=message) as exc:
        assignments.apply(dbsession, a, name, _actor(world, name), now=NOW)
    # The one refusal is both a review error (the pages show it) and a refused transition.
    assert isinstance(exc.value, services.ReviewError)
    assert isinstance(exc.value, TransitionNotAllowed)
    assert not assignments.may(dbsession, a, name, _actor(world, name))
    assert a.state is source and a.responded_at is None
    assert len(_events(dbsession, world)) == before and ran == []


@pytest.mark.parametrize("name", ["accept", "decline", "save_draft", "submit"])
def test_only_the_invited_reviewer_makes_the_reviewers_moves(dbsession, world, name):
    source = MOVES[name].sources
    a = _assignment(dbsession, world, next(iter(source)))
    for who in (None, world.editor, world.coauthor, make_user(dbsession)):
        with pytest.raises(AssignmentMoveRefused, match="not yours"):
            assignments.apply(dbsession, a, name, who)
    assert a.state in source


@pytest.mark.parametrize("name", ["change_due", "cancel", "cancel_on_decision"])
def test_only_an_editor_who_is_no_author_makes_the_editors_moves(dbsession, world, name):
    a = _assignment(dbsession, world, A.ACCEPTED)
    for who in (None, world.reviewer, world.author, make_user(dbsession)):
        with pytest.raises(AssignmentMoveRefused, match="Only the journal's editors"):
            assignments.apply(dbsession, a, name, who)
    # An editor listed among the paper's authors acts on it as an author, not an editor.
    world.submission.contributors[1].email = world.editor.email
    with pytest.raises(AssignmentMoveRefused, match="cannot act on it as an editor"):
        assignments.apply(dbsession, a, name, world.editor)
    assert a.state is A.ACCEPTED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("save_draft", "the editor has decided"),
        ("submit", "the editor has decided"),
        ("change_due", "invitations can no longer change"),
        ("cancel", "invitations can no longer change"),
    ],
)
def test_moves_tied_to_the_round_are_refused_once_it_is_closed(dbsession, world, name, message):
    a = _assignment(dbsession, world, A.ACCEPTED)
    a.round.closed_at = NOW
    with pytest.raises(AssignmentMoveRefused, match=message):
        assignments.apply(dbsession, a, name, _actor(world, name))
    a.round.closed_at = None
    world.submission.state = SubmissionState.REJECTED
    with pytest.raises(AssignmentMoveRefused, match=message):
        assignments.apply(dbsession, a, name, _actor(world, name))
    assert a.state is A.ACCEPTED


def test_the_decision_ends_open_invitations_of_its_closed_round(dbsession, world):
    a = _assignment(dbsession, world, A.INVITED)
    a.round.closed_at = NOW
    world.submission.state = SubmissionState.REVISION_REQUESTED
    event = assignments.apply(
        dbsession, a, "cancel_on_decision", world.editor, detail={"by": "decision"}
    )
    assert a.state is A.CANCELLED
    assert event is not None
    assert event.detail == {"assignment": a.id, "was": "invited", "by": "decision"}


def test_an_unknown_move_is_refused(dbsession, world):
    a = _assignment(dbsession, world, A.INVITED)
    with pytest.raises(TransitionNotAllowed, match="no such transition"):
        assignments.apply(dbsession, a, "reopen", world.editor)


def test_available_lists_the_moves_of_each_party(dbsession, world):
    a = _assignment(dbsession, world, A.INVITED)
    assert assignments.available(dbsession, a, world.reviewer) == ["accept", "decline"]
    assert assignments.available(dbsession, a, world.editor) == [
        "change_due",
        "cancel",
        "cancel_on_decision",
    ]
    a.state = A.ACCEPTED
    assert assignments.available(dbsession, a, world.reviewer) == ["save_draft", "submit"]
    a.state = A.SUBMITTED
    assert assignments.available(dbsession, a, world.reviewer) == []
    assert assignments.available(dbsession, a, world.editor) == []
