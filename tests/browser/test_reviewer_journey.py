"""A reviewer's side of peer review in a real browser: the invitation link from the email
in the outbox, Accept, sign in, the review form (recommendation, scores, comments), a
draft saved and found again, the submission refused until the confirmation is ticked,
then submitted and shown read-only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from frontiers_de.review.models import AssignmentState, Recommendation, ReviewAssignment
from tests.factories import DEFAULT_PASSWORD, app_session
from tests.functional.test_peer_review import arrange, invite, outbox, reviewer_id
from tests.web import client_for

pytestmark = pytest.mark.browser

SCORES = {"originality": "4", "rigour": "2", "clarity": "3", "relevance": "5"}
TO_AUTHOR = "The second cohort is described too briefly to judge the sampling."
TO_EDITOR = "Table 3 repeats figures from the authors' 2023 paper."


def test_a_reviewer_accepts_drafts_and_submits_a_review(live_server, page, wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev1@example.org")))
    [mail] = outbox(wsgi_app, "review_invitation")
    found = re.search(r"https?://[^/\s]+(/review/invitations/\S+\?answer=accept)", mail.body_text)
    assert found, mail.body_text

    # The link from the email: the page asks, and opening it changes nothing.
    page.goto(live_server + found.group(1))
    assert "Invitation to review" in page.inner_text("h1")
    with app_session(wsgi_app) as db:
        assert db.scalar(select(ReviewAssignment.state)) == AssignmentState.INVITED
    page.click("main button:has-text('Accept the invitation')")
    assert "You have agreed to review" in page.inner_text("main")

    # The reviewer has a password: sign in, and the review form opens.
    page.click("main a:has-text('Sign in')")
    page.fill("#email", "rev1@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    assert "Your review" in page.inner_text("main")
    assert page.locator("a:has-text('Zhou_Okonkwo_blended_learning.docx')").count() == 1

    # A draft: a recommendation and two scores, the comments half written.
    page.check("#rec-major_revision")
    page.select_option("#score_originality", SCORES["originality"])
    page.select_option("#score_rigour", SCORES["rigour"])
    page.fill("#comments_to_author", "First notes")
    page.click("main button:has-text('Save draft')")
    assert "Your draft is saved" in page.locator(".flashes").inner_text()
    page.reload()
    assert page.is_checked("#rec-major_revision")
    assert page.input_value("#score_rigour") == "2"
    assert page.input_value("#score_clarity") == ""
    assert page.input_value("#comments_to_author") == "First notes"

    # Complete it; submitting without the tick is refused and keeps what was typed.
    for key, value in SCORES.items():
        page.select_option(f"#score_{key}", value)
    page.fill("#comments_to_author", TO_AUTHOR)
    page.fill("#comments_to_editor", TO_EDITOR)
    page.click("main button:has-text('Submit the review')")
    assert "Tick the box to confirm" in page.inner_text("main")
    assert page.input_value("#comments_to_author") == TO_AUTHOR
    with app_session(wsgi_app) as db:
        assert db.scalar(select(ReviewAssignment.state)) == AssignmentState.ACCEPTED

    page.check("#confirm")
    page.click("main button:has-text('Submit the review')")
    assert "your review is submitted" in page.locator(".flashes").inner_text()

    # Read-only now: no form fields, the review shown as text.
    main = page.inner_text("main")
    assert page.locator("main textarea, main select, main input[type=radio]").count() == 0
    assert page.locator("main button:has-text('Submit the review')").count() == 0
    assert "Review submitted" in main
    assert "Major revision" in main and TO_AUTHOR in main and TO_EDITOR in main

    with app_session(wsgi_app) as db:
        assignment = db.scalar(select(ReviewAssignment))
        assert assignment.state == AssignmentState.SUBMITTED
        review = assignment.review
        assert review.recommendation == Recommendation.MAJOR_REVISION
        assert review.scores == {k: int(v) for k, v in SCORES.items()}
        assert review.submitted_at is not None
    assert [m.recipients for m in outbox(wsgi_app, "review_submitted")] == [["editor@example.org"]]


def test_a_new_reviewer_accepts_and_chooses_a_password_in_one_step(
    live_server, page, wsgi_app, app_settings
):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, name="Nora Newcomer", email="nora@example.net")
    [mail] = outbox(wsgi_app, "review_invitation")
    found = re.search(r"https?://[^/\s]+(/review/invitations/\S+\?answer=accept)", mail.body_text)
    assert found, mail.body_text

    page.goto(live_server + found.group(1))
    assert "nora@example.net" in page.inner_text("main")
    page.fill("#password", "lanterns over the old harbour")
    page.fill("#password_confirm", "lanterns over the old harbour")
    page.click("main button:has-text('Accept and set the password')")
    # Signed in at once, on the review form with the manuscript.
    assert "Your password is set and you are signed in" in page.locator(".flashes").inner_text()
    assert "Your review" in page.inner_text("main")
    assert page.locator("a:has-text('Zhou_Okonkwo_blended_learning.docx')").count() == 1
