"""The editors' queue through the web: a submitted paper appears with the actions the
workflow allows; desk reject needs a reason and emails it to the author; send to review
moves the paper on and tells the author; other users cannot act."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.mail.models import OutboxEmail
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

REASON = "The study concerns hospital logistics, which is outside the journal's scope."


@pytest.fixture
def papers(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "author@example.org", journal=journal)
        make_user(db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        ids = []
        for title in ("Off-topic paper", "Good paper"):
            ids.append(SubmissionFactory(db=db, journal=journal, submitter=author, title=title).id)
    return ids


def test_editor_desk_rejects_with_a_reason_and_sends_the_other_to_review(wsgi_app, papers):
    off_topic, good = papers
    editor = client_for(wsgi_app, "se@example.org")
    assert editor.get("/").html.find("a", href="/editorial") is not None
    page = editor.get("/editorial")
    assert "Off-topic paper" in page.text and "Good paper" in page.text
    assert len(page.html.find_all("button", string="Reject without review")) == 2

    # Without a reason: refused, nothing changes.
    res = editor.post(
        f"/editorial/submissions/{off_topic}/desk_reject", {"csrf_token": csrf(page)}
    ).follow()
    assert "reason for rejecting without review" in res.text
    res = editor.post(
        f"/editorial/submissions/{off_topic}/desk_reject",
        {"csrf_token": csrf(page), "reason": REASON},
    ).follow()
    assert f"Submission {off_topic} is rejected" in res.text
    res = editor.post(
        f"/editorial/submissions/{good}/send_to_review", {"csrf_token": csrf(page)}
    ).follow()
    assert f"Submission {good} is sent to peer review" in res.text
    assert "No new submissions are waiting." in res.text
    # A second click on an old page: the table refuses, the editor is told.
    res = editor.post(
        f"/editorial/submissions/{good}/desk_reject",
        {"csrf_token": csrf(page), "reason": REASON},
    ).follow()
    assert "no longer possible" in res.text

    with app_session(wsgi_app) as db:
        assert db.get(Submission, off_topic).state == SubmissionState.REJECTED
        assert db.get(Submission, good).state == SubmissionState.UNDER_REVIEW
        mails = db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
        assert [m.template for m in mails] == ["editorial_desk_reject", "editorial_under_review"]
        assert mails[0].recipients == ["author@example.org"]
        assert REASON in mails[0].body_text

    # The author sees the outcome on their own page.
    author = client_for(wsgi_app, "author@example.org")
    assert "Rejected" in author.get(f"/submissions/{off_topic}").text


def test_authors_cannot_use_the_queue(wsgi_app, papers):
    author = client_for(wsgi_app, "author@example.org")
    author.get("/editorial", status=403)
    page = author.get("/submissions")
    # The paper's editorial side does not exist for its author (404).
    author.post(
        f"/editorial/submissions/{papers[1]}/send_to_review",
        {"csrf_token": csrf(page)},
        status=404,
    )
    with app_session(wsgi_app) as db:
        assert db.get(Submission, papers[1]).state == SubmissionState.SUBMITTED
