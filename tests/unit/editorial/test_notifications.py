"""The workflow's emails go out from editorial's subscriber of SubmissionMoved: announcing
a move (through the workflow, as the services do) queues the email it calls for, with its
link under fde.base_url; moves that concern nobody queue none."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import services, workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.mail.services import mail_held
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import make_journal, make_user
from tests.notifications import BASE, bind_subscribers, outbox, templates
from tests.submission_factories import SubmissionFactory


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@pytest.fixture
def paper(dbsession):
    journal = make_journal(dbsession)
    author = make_user(dbsession, "author@example.org", preferred_language="zh")
    editor = make_user(
        dbsession, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal
    )
    submission = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="Tutoring at scale",
        state=SubmissionState.DRAFT,
        authors=[{"given_name": "Ada", "family_name": "Author", "email": "author@example.org"}],
    )
    return submission, author, editor


def test_submitting_tells_the_submitter_it_is_received(dbsession, paper):
    submission, author, _editor = paper
    workflow.apply(dbsession, submission, "submit", author)
    (mail,) = outbox(dbsession)
    assert mail.template == "submissions_received" and mail.recipients == [author.email]
    assert f"{BASE}/submissions/{submission.id}" in mail.body_text
    assert "Ada Author" in mail.body_text
    assert "已收到" in mail.subject  # the submitter's language


def test_a_desk_rejection_carries_the_editors_reason(dbsession, paper):
    submission, author, editor = paper
    workflow.apply(dbsession, submission, "submit", author)
    services.act(dbsession, submission, "desk_reject", editor, "Outside the journal's scope.")
    mail = outbox(dbsession)[-1]
    assert mail.template == "editorial_desk_reject" and mail.recipients == [author.email]
    assert "Outside the journal's scope." in mail.body_text


def test_review_decision_and_revision_each_tell_whom_they_concern(dbsession, paper):
    submission, author, editor = paper
    workflow.apply(dbsession, submission, "submit", author)
    workflow.apply(dbsession, submission, "send_to_review", editor)
    letter = "Please revise the methods section."
    workflow.apply(
        dbsession, submission, "decide", editor, decision=DecisionKind.MAJOR_REVISION, letter=letter
    )
    workflow.apply(dbsession, submission, "resubmit", author)
    assert templates(dbsession) == [
        "submissions_received",
        "editorial_under_review",
        "editorial_decision",
        "editorial_revision_received",
        "submissions_revision_received",
    ]
    _received, review, decision, revision, receipt = outbox(dbsession)
    assert review.recipients == decision.recipients == receipt.recipients == [author.email]
    assert letter in decision.body_text
    assert revision.recipients == [editor.email]
    assert f"{BASE}/editorial/submissions/{submission.id}/review" in revision.body_text


def test_moves_that_concern_nobody_and_held_mail_queue_nothing(dbsession, paper):
    submission, author, _editor = paper
    with mail_held(dbsession):
        workflow.apply(dbsession, submission, "submit", author)
    workflow.apply(dbsession, submission, "withdraw", author, detail={"reason": "Elsewhere."})
    assert outbox(dbsession) == []
