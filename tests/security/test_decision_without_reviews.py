"""Decisions that follow from reviews (issue 9, part 8).

The finding: a paper was accepted while its only invitation was still open, and the
author was told "The reviewers' reports are in". Now accepting or rejecting in a review
round needs at least one submitted review, unless the editor ticks "decide without
reviews" and gives a reason (kept in the audit trail); the letter then says no such thing,
and every reviewer whose open invitation the decision cancels is emailed, in their own
language.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import services as editorial
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for

DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()
LETTER = "I am pleased to accept your paper for publication in the journal."
REASON = "The paper is the invited keynote of the conference; the board read it in full."
REPORTS_ARE_IN = "The reviewers' reports are in"


def arrange(wsgi_app, *, submitted_review: bool = False) -> dict:
    """A paper under review with two open invitations: Riya (English) accepted and has not
    written her review, Zhang (Chinese) has not answered. With ``submitted_review`` a third
    reviewer has submitted one."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        author = make_user(db, "author@example.org")
        riya = make_user(db, "riya@example.org", roles=[Role.REVIEWER], journal=journal)
        zhang = make_user(
            db,
            "zhang@example.cn",
            roles=[Role.REVIEWER],
            journal=journal,
            preferred_language="zh",
        )
        s = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            title="Tutoring at scale",
            authors=[{"given_name": "Ann", "family_name": "Author", "email": author.email}],
        )
        workflow.apply(db, s, "send_to_review", editor)
        accepted = review.invite(db, s, editor, reviewer_id=riya.id, due=DUE).assignment
        review.accept(db, accepted)
        waiting = review.invite(db, s, editor, reviewer_id=zhang.id, due=DUE).assignment
        ids = {"sid": s.id, "accepted": accepted.id, "waiting": waiting.id}
        if submitted_review:
            done_by = make_user(db, "sam@example.org", roles=[Role.REVIEWER], journal=journal)
            done = review.invite(db, s, editor, reviewer_id=done_by.id, due=DUE).assignment
            review.accept(db, done)
            review.save_review(
                db,
                done,
                {
                    "recommendation": "accept",
                    **{f"score_{k}": "4" for k in review.CRITERIA},
                    "comments_to_author": "A careful study.",
                },
                submit=True,
            )
        return ids


def outbox(wsgi_app, template: str) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        rows = db.scalars(select(OutboxEmail).where(OutboxEmail.template == template)).all()
        db.expunge_all()
    return list(rows)


def decide_form(page):
    return next(f for f in page.forms.values() if f.action.endswith("/decide"))


def test_accepting_with_no_submitted_review_is_refused(wsgi_app):
    ids = arrange(wsgi_app)
    sid = ids["sid"]
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    for decision in ("accept", "reject"):
        form = decide_form(page)
        form["decision"] = decision
        form["message"] = LETTER
        res = form.submit(status=400)
        assert "No review has been submitted in this round" in res.text
        assert res.html.find("textarea", {"name": "message"}).text == LETTER
    with app_session(wsgi_app) as db:
        s = db.get(Submission, sid)
        assert s.state == SubmissionState.UNDER_REVIEW
        assert db.get(ReviewAssignment, ids["waiting"]).state == AssignmentState.INVITED
        # The rule is the service's, not only the page's.
        editor_user = db.scalar(select(User).where(User.email_key == "editor@example.org"))
        with pytest.raises(editorial.EditorialError, match="No review has been submitted"):
            editorial.decide(db, s, editor_user, "accept", LETTER)
        assert s.state == SubmissionState.UNDER_REVIEW
    assert outbox(wsgi_app, "editorial_decision") == []
    assert outbox(wsgi_app, "review_cancelled") == []


@pytest.mark.parametrize("reason", ["", "   ", "Too short", "\x00\x01\x02" * 10])
def test_deciding_without_reviews_needs_a_reason(wsgi_app, reason):
    ids = arrange(wsgi_app)
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{ids['sid']}/review")
    form = decide_form(page)
    form["decision"] = "accept"
    form["message"] = LETTER
    form["without_reviews"] = True
    form["without_reviews_reason"] = reason
    res = form.submit(status=400)
    assert "reason for deciding without reviews" in res.text
    # What was typed is kept, the box still ticked.
    again = decide_form(res)
    assert again["without_reviews"].checked
    with app_session(wsgi_app) as db:
        assert db.get(Submission, ids["sid"]).state == SubmissionState.UNDER_REVIEW


def test_deciding_without_reviews_keeps_the_reason_and_tells_everyone(wsgi_app):
    ids = arrange(wsgi_app)
    sid = ids["sid"]
    editor = client_for(wsgi_app, "editor@example.org")
    form = decide_form(editor.get(f"/editorial/submissions/{sid}/review"))
    form["decision"] = "accept"
    # The letter opens pre-filled from the journal's template; the editor adds to it.
    form["message"] = form["message"].value + "\n\n" + LETTER
    form["without_reviews"] = True
    form["without_reviews_reason"] = REASON
    res = form.submit(status=302).follow()
    assert "The decision is recorded" in res.text

    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state == SubmissionState.ACCEPTED
        event = db.scalar(
            select(AuditEvent).where(AuditEvent.submission_id == sid, AuditEvent.action == "decide")
        )
        assert event.detail["without_reviews"] is True
        assert event.detail["without_reviews_reason"] == REASON
        assert sorted(event.detail["cancelled_assignments"]) == sorted(
            [ids["accepted"], ids["waiting"]]
        )
        for key in ("accepted", "waiting"):
            assert db.get(ReviewAssignment, ids[key]).state == AssignmentState.CANCELLED

    (letter,) = outbox(wsgi_app, "editorial_decision")
    assert REPORTS_ARE_IN not in letter.body_text
    assert "without reviewers' reports" in letter.body_text
    assert REASON not in letter.body_text  # the reason is for the record, not the author

    cancelled = {m.recipients[0]: m for m in outbox(wsgi_app, "review_cancelled")}
    assert set(cancelled) == {"riya@example.org", "zhang@example.cn"}
    assert "reached a decision" in cancelled["riya@example.org"].body_text
    assert "已对以下稿件作出决定" in cancelled["zhang@example.cn"].body_text
    assert "无需再审稿" in cancelled["zhang@example.cn"].subject


def test_with_a_submitted_review_the_decision_needs_no_tick(wsgi_app):
    ids = arrange(wsgi_app, submitted_review=True)
    sid = ids["sid"]
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert "without_reviews" not in decide_form(page).fields
    form = decide_form(page)
    form["decision"] = "accept"
    form["message"] = form["message"].value + "\n\n" + LETTER
    form.submit(status=302)
    (letter,) = outbox(wsgi_app, "editorial_decision")
    assert REPORTS_ARE_IN in letter.body_text
    assert "A careful study." in letter.body_text
    # The two who had not submitted are told.
    assert sorted(m.recipients[0] for m in outbox(wsgi_app, "review_cancelled")) == [
        "riya@example.org",
        "zhang@example.cn",
    ]
    with app_session(wsgi_app) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "decide"))
        assert "without_reviews" not in event.detail


def test_a_revision_may_be_asked_for_without_reviews_and_the_letter_says_so(wsgi_app):
    ids = arrange(wsgi_app)
    editor = client_for(wsgi_app, "editor@example.org")
    form = decide_form(editor.get(f"/editorial/submissions/{ids['sid']}/review"))
    form["decision"] = "major_revision"
    form["message"] = "Please restructure the paper before it goes out to review again."
    form.submit(status=302)
    (letter,) = outbox(wsgi_app, "editorial_decision")
    assert REPORTS_ARE_IN not in letter.body_text
    assert len(outbox(wsgi_app, "review_cancelled")) == 2
