"""The editors' first decision on a new submission: the queue, desk reject with a reason,
send to review, each through the workflow table."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from frontiers_de.accounts.models import User
from frontiers_de.editorial import services, workflow
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.journals.models import Journal
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import make_journal, make_user
from tests.submission_factories import SubmissionFactory

REASON = "The paper is outside the scope of the journal: it does not concern education."


@dataclass
class Queue:
    """A journal's new papers (submitted, a draft, submitted), their author and an editor."""

    journal: Journal
    author: User
    editor: User
    papers: list[Submission]


@pytest.fixture
def queue(dbsession) -> Queue:
    journal = make_journal(dbsession)
    author = make_user(dbsession)
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    papers = [
        SubmissionFactory(db=dbsession, journal=journal, submitter=author, title="T", state=state)
        for state in (SubmissionState.SUBMITTED, SubmissionState.DRAFT, SubmissionState.SUBMITTED)
    ]
    return Queue(journal, author, editor, papers)


def test_the_queue_lists_submitted_papers_with_the_allowed_actions(dbsession, queue):
    journal, author, editor, papers = queue.journal, queue.author, queue.editor, queue.papers
    entries = services.new_submissions(dbsession, journal.id, editor)
    assert [e.submission for e in entries] == [papers[0], papers[2]]
    assert set(entries[0].actions) == {"send_to_review", "desk_reject"}
    # Someone who is not an editor: no paper is theirs to handle (workflow.may_handle).
    stranger = make_user(dbsession)
    assert services.new_submissions(dbsession, journal.id, stranger) == []
    # The author's own papers are not in their queue at all.
    assert services.new_submissions(dbsession, journal.id, author) == []
    # The editorial side of a paper (the queue's actions): not a draft, not one's own.
    assert workflow.may_handle(papers[0], editor)
    assert not workflow.may_handle(papers[1], editor)
    assert not workflow.may_handle(papers[0], author)


@pytest.mark.parametrize("reason", ["", "   ", "Too short.", "\x00\x01 short \x02"])
def test_desk_reject_needs_a_reason(dbsession, queue, reason):
    editor, papers = queue.editor, queue.papers
    with pytest.raises(services.EditorialError):
        services.act(dbsession, papers[0], "desk_reject", editor, reason)
    assert papers[0].state == SubmissionState.SUBMITTED


def test_desk_reject_records_the_decision_with_the_letter(dbsession, queue):
    editor, papers = queue.editor, queue.papers
    event = services.act(dbsession, papers[0], "desk_reject", editor, f"  {REASON}\x00 ")
    assert (event.from_state, event.to_state) == ("submitted", "rejected")
    decision = dbsession.query(Decision).filter_by(submission_id=papers[0].id).one()
    assert (decision.kind, decision.letter) == (DecisionKind.DESK_REJECT, REASON)
    with pytest.raises(TransitionNotAllowed):
        services.act(dbsession, papers[0], "send_to_review", editor)


def test_send_to_review_opens_the_first_round(dbsession, queue):
    author, editor, papers = queue.author, queue.editor, queue.papers
    services.act(dbsession, papers[2], "send_to_review", editor)
    assert papers[2].state == SubmissionState.UNDER_REVIEW
    assert dbsession.query(ReviewRound).filter_by(submission_id=papers[2].id).one().number == 1
    with pytest.raises(TransitionNotAllowed):
        services.act(dbsession, papers[0], "send_to_review", author)
    with pytest.raises(services.EditorialError):
        services.act(dbsession, papers[0], "publish", editor)
