"""Peer review's emails go out from review's subscribers: the service's announcement of an
invitation, and each move of the assignment table, queue the email to the reviewer or the
editor, with every link under fde.base_url."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import services as editorial
from frontiers_de.review import services
from frontiers_de.security.roles import Role
from tests.factories import make_user
from tests.notifications import BASE, bind_subscribers, outbox, templates
from tests.review_factories import GOOD, NOW, accepted, invite


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


def _second_reviewer(db, world):
    return make_user(db, "second@example.org", roles=[Role.REVIEWER], journal=world.journal)


def _since(db, before):
    """The emails queued after the first ``before``."""
    return outbox(db)[len(before) :]


def test_the_invitation_carries_its_accept_and_decline_links(dbsession, world):
    before = outbox(dbsession)
    invitation = invite(dbsession, world)
    (mail,) = _since(dbsession, before)
    assert mail.template == "review_invitation"
    assert mail.recipients == [world.reviewer.email]
    link = f"{BASE}/review/invitations/{invitation.token}"
    assert f"{link}?answer=accept" in mail.body_text
    assert f"{link}?answer=decline" in mail.body_text
    assert "Ada" not in mail.body_text  # never the authors' names


def test_answers_and_the_review_go_to_the_inviting_editor(dbsession, world):
    second = _second_reviewer(dbsession, world)
    declined = invite(dbsession, world, reviewer_id=second.id).assignment
    services.decline(dbsession, declined, "On leave.", "Dr Who", now=NOW)
    assignment = accepted(dbsession, world)
    services.save_review(dbsession, assignment, GOOD, submit=True, now=NOW)
    mails = [m for m in outbox(dbsession) if m.recipients == [world.editor.email]]
    assert [m.template for m in mails] == ["review_answered", "review_answered", "review_submitted"]
    assert "On leave." in mails[0].body_text and "Dr Who" in mails[0].body_text
    submission_id = world.submission.id
    assert all(f"{BASE}/editorial/submissions/{submission_id}/review" in m.body_text for m in mails)


def test_a_withdrawn_invitation_and_a_new_due_date_are_told_to_the_reviewer(dbsession, world):
    assignment = accepted(dbsession, world)
    services.change_due(dbsession, world.submission, assignment, world.editor, "2026-12-31")
    services.cancel(dbsession, world.submission, assignment, world.editor)
    due, cancelled = outbox(dbsession)[-2:]
    assert [due.template, cancelled.template] == ["review_due_changed", "review_cancelled"]
    assert "2026-12-31" in due.body_text
    assert f"{BASE}/reviews/{assignment.id}" in due.body_text
    assert "withdrawn" in cancelled.body_text
    assert due.recipients == cancelled.recipients == [world.reviewer.email]


def test_a_decision_tells_the_reviewers_whose_invitations_it_cancels(dbsession, world):
    submitted = accepted(dbsession, world)
    services.save_review(dbsession, submitted, GOOD, submit=True, now=NOW)
    second = _second_reviewer(dbsession, world)
    invite(dbsession, world, reviewer_id=second.id)
    letter = "Please revise the sampling section as the reviewer asks."
    editorial.decide(dbsession, world.submission, world.editor, "minor_revision", letter)
    # The reviewer who reviewed hears the decision; the one who had not answered, that
    # the invitation is cancelled.
    assert templates(dbsession)[-3:] == [
        "editorial_decision",
        "editorial_decision_reviewers",
        "review_cancelled",
    ]
    cancelled = outbox(dbsession)[-1]
    assert cancelled.recipients == [second.email]
    assert "reached a decision" in cancelled.body_text


def test_a_draft_saved_queues_nothing(dbsession, world):
    assignment = accepted(dbsession, world)
    before = outbox(dbsession)
    services.save_review(dbsession, assignment, {"comments_to_author": "Half"}, submit=False)
    assert _since(dbsession, before) == []
