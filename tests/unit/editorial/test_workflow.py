"""The workflow table: who may move a submission from which state, and what it records."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, Decision, DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import JournalFactory, make_user
from tests.submission_factories import SubmissionFactory


@dataclass
class WorkflowWorld:
    """A journal of its own, an author's draft in it, a section editor and a stranger."""

    journal: Journal
    author: User
    editor: User
    stranger: User
    draft: Submission


@pytest.fixture
def world(dbsession) -> WorkflowWorld:
    journal = JournalFactory(db=dbsession, code="wf", title="Workflow Journal")
    author = make_user(dbsession, "a@example.org")
    editor = make_user(dbsession, "e@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
    stranger = make_user(dbsession, "s@example.org")
    draft = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="On learning",
        abstract="",
        state=SubmissionState.DRAFT,
    )
    return WorkflowWorld(journal, author, editor, stranger, draft)


def test_author_submits_and_editor_sends_to_review(dbsession, world):
    db, sub, author, editor = dbsession, world.draft, world.author, world.editor
    workflow.apply(db, sub, "submit", author)
    assert sub.state is SubmissionState.SUBMITTED and sub.submitted_at is not None
    workflow.apply(db, sub, "send_to_review", editor)
    assert sub.state is SubmissionState.UNDER_REVIEW
    rounds = db.scalars(select(ReviewRound).where(ReviewRound.submission_id == sub.id)).all()
    assert [r.number for r in rounds] == [1]
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.submission_id == sub.id)).all()
    assert actions == ["submit", "send_to_review"]


def test_a_stranger_cannot_move_a_submission_and_nothing_changes(dbsession, world):
    db, sub, author, stranger = dbsession, world.draft, world.author, world.stranger
    workflow.apply(db, sub, "submit", author)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "send_to_review", stranger)
    assert sub.state is SubmissionState.SUBMITTED
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "send_to_review", None)


def test_revision_opens_a_second_round_and_accept_records_the_decision(dbsession, world):
    db, sub, author, editor = dbsession, world.draft, world.author, world.editor
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


def test_decide_needs_a_decision(dbsession, world):
    db, sub, author, editor = dbsession, world.draft, world.author, world.editor
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "send_to_review", editor)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "decide", editor)


def test_withdraw_only_before_acceptance(dbsession, world):
    db, sub, author = dbsession, world.draft, world.author
    workflow.apply(db, sub, "submit", author)
    assert "withdraw" in workflow.available(sub, author)
    sub.state = SubmissionState.ACCEPTED
    assert "withdraw" not in workflow.available(sub, author)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "withdraw", author)


def test_an_editor_invited_to_review_the_paper_never_sees_its_editorial_side(dbsession, world):
    """The editorial side holds the other reviewers' names and confidential comments: an
    editor who was invited to review the paper (whatever the answer) loses it."""
    from frontiers_de.review import services as review
    from tests.review_factories import DUE, NOW

    db, sub, author, editor = dbsession, world.draft, world.author, world.editor
    chief = make_user(db, "c@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=world.journal)
    both = make_user(
        db, "b@example.org", roles=[Role.SECTION_EDITOR, Role.REVIEWER], journal=world.journal
    )
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "send_to_review", editor)
    assert workflow.may_handle(sub, both)
    invitation = review.invite(db, sub, chief, reviewer_id=both.id, due=DUE, now=NOW)
    review.decline(db, invitation.assignment, now=NOW)
    assert not workflow.may_handle(sub, both)
    assert workflow.may_handle(sub, editor) and workflow.may_handle(sub, chief)
