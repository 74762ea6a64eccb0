"""An author submits a paper in a real browser: sign in, start from My submissions, fill
the details, add a co-author, upload the manuscript, review and submit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.mail.models import OutboxEmail
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.conftest import CORPUS_DIR
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user

pytestmark = pytest.mark.browser

DOCX = CORPUS_DIR / "pandoc__equations.docx"


@pytest.fixture
def author(wsgi_app) -> str:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(
            db,
            "li.na@example.edu.cn",
            journal=journal,
            given_name="Na",
            family_name="Li",
            affiliation="Beijing Normal University",
            country="CN",
        )
    return "li.na@example.edu.cn"


def test_an_author_submits_a_paper(live_server, page, author, wsgi_app):
    page.goto(live_server + "/login")
    page.fill("#email", author)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.click("nav.site-nav >> text=My submissions")
    page.click("text=Start a new submission")
    page.check("text=Research Article")
    page.click("text=Start the submission")

    page.fill("#title", "Feedback timing in online mathematics homework")
    page.fill("#abstract", "A randomised study of immediate and delayed feedback.")
    page.fill("#keywords", "feedback, mathematics education")
    page.fill("#data_availability", "Available from the authors on request.")
    page.fill("#competing_interests", "None.")
    # The draft saves itself shortly after typing stops (static/js/autosave.js).
    # (A function, not an expression: Playwright would eval an expression in the page, which
    # the site's policy refuses, as it should.)
    page.wait_for_function(
        "() => document.querySelector('.autosave-status').textContent.startsWith('Draft saved')",
        timeout=15000,
    )
    page.reload()
    assert page.input_value("#title") == "Feedback timing in online mathematics homework"
    page.click("text=Save and go to authors")

    assert page.locator(".author-list").inner_text().count("Li") >= 1
    page.fill("#given_name", "Tom")
    page.fill("#family_name", "Baker")
    page.fill("#email", "tom.baker@example.ac.uk")
    page.fill("#orcid", "0000-0001-5109-3700")
    page.fill("#aff1_name", "University of Leeds")
    page.check("text=Writing – original draft")
    page.click("text=Add author")
    assert "Tom Baker" in page.locator(".author-list").inner_text()

    page.click("nav.steps >> text=5. Files")
    page.select_option("#kind", "manuscript")
    page.set_input_files("#file", str(DOCX))
    page.click("main button:has-text('Upload')")
    assert "pandoc__equations.docx is uploaded." in page.locator(".flashes").inner_text()

    page.click("text=Next: review and submit")
    assert "Everything needed is here." in page.inner_text("main")
    page.click("form.submit-form button")
    assert "your submission is received" in page.locator(".flashes").inner_text()
    assert "Withdraw the submission" in page.inner_text("main")

    with app_session(wsgi_app) as db:
        submission = db.scalar(select(Submission))
        assert submission.state == SubmissionState.SUBMITTED
        assert [c.family_name for c in submission.contributors] == ["Li", "Baker"]
        sent = db.scalars(select(OutboxEmail.recipients)).all()
        assert [author] in sent
