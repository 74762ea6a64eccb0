"""The workflow table: who may move a submission from which state, and what it records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, Decision, DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState


@pytest.fixture
def world(dbsession):
    journal = Journal(code="wf", title="Workflow Journal")
    author = User(email="a@example.org", email_key="a@example.org")
    editor = User(email="e@example.org", email_key="e@example.org")
    stranger = User(email="s@example.org", email_key="s@example.org")
    dbsession.add_all([journal, author, editor, stranger])
    dbsession.flush()
    dbsession.add(
        RoleAssignment(user_id=editor.id, journal_id=journal.id, role=Role.SECTION_EDITOR)
    )
    sub = Submission(journal_id=journal.id, submitter_id=author.id, title="On learning")
    dbsession.add(sub)
    dbsession.flush()
    dbsession.refresh(editor)
    return dbsession, sub, author, editor, stranger


def test_author_submits_and_editor_sends_to_review(world):
    db, sub, author, editor, _ = world
    workflow.apply(db, sub, "submit", author)
    assert sub.state is SubmissionState.SUBMITTED and sub.submitted_at is not None
    workflow.apply(db, sub, "send_to_review", editor)
    assert sub.state is SubmissionState.UNDER_REVIEW
    rounds = db.scalars(select(ReviewRound).where(ReviewRound.submission_id == sub.id)).all()
    assert [r.number for r in rounds] == [1]
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.submission_id == sub.id)).all()
    assert actions == ["submit", "send_to_review"]


def test_a_stranger_cannot_move_a_submission_and_nothing_changes(world):
    db, sub, author, _, stranger = world
    workflow.apply(db, sub, "submit", author)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "send_to_review", stranger)
    assert sub.state is SubmissionState.SUBMITTED
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "send_to_review", None)


def test_revision_opens_a_second_round_and_accept_records_the_decision(world):
    db, sub, author, editor, _ = world
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "send_to_review", editor)
    workflow.apply(db, sub, "decide", editor, decision=DecisionKind.MAJOR_REVISION, letter="Fix")
    assert sub.state is SubmissionState.REVISION_REQUESTED
    assert not workflow.may(sub, "resubmit", editor)
    workflow.apply(db, sub, "resubmit", author)
    assert workflow.current_round(db, sub).number == 2
    workflow.apply(db, sub, "decide", editor, decision=DecisionKind.ACCEPT)
    assert sub.state is SubmissionState.ACCEPTED and sub.accepted_at is not None
    kinds = db.scalars(select(Decision.kind).where(Decision.submission_id == sub.id)).all()
    assert kinds == [DecisionKind.MAJOR_REVISION, DecisionKind.ACCEPT]


def test_decide_needs_a_decision(world):
    db, sub, author, editor, _ = world
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "send_to_review", editor)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "decide", editor)


def test_withdraw_only_before_acceptance(world):
    db, sub, author, _editor, _ = world
    workflow.apply(db, sub, "submit", author)
    assert "withdraw" in workflow.available(sub, author)
    sub.state = SubmissionState.ACCEPTED
    assert "withdraw" not in workflow.available(sub, author)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "withdraw", author)
