"""Letters editors can edit, in a real browser: the decision letter follows the decision
chosen until the editor edits it (static/js/letters.js, under the site's CSP); the admin's
email pages and the invite form fit a phone (390 px) with nothing wider than the screen.
Set FDE_SCREENSHOTS to a folder to keep screenshots of each page at 1280 and 390 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontiers_de.security.roles import Role
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.functional.test_review_compare import two_reviews_in

pytestmark = pytest.mark.browser


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")


def shot(page, name: str) -> None:
    folder = os.environ.get("FDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_decision_letter_follows_the_decision_until_edited(
    live_server, browser, wsgi_app, app_settings
):
    sid = two_reviews_in(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "editor@example.org")
    page.goto(f"{live_server}/editorial/submissions/{sid}/review/compare")
    page.check("#decision-reject")
    assert "decision is: reject" in page.input_value("#message")
    page.check("#decision-major_revision")
    assert "decision is: major revision" in page.input_value("#message")
    shot(page, "decision-1280")
    # Edited: choosing another decision keeps the editor's text.
    page.fill("#message", page.input_value("#message") + "\nOne more thing.")
    page.check("#decision-minor_revision")
    assert "major revision" in page.input_value("#message")
    assert page.input_value("#message").endswith("One more thing.")
    page.goto(f"{live_server}/editorial/submissions/{sid}/review")
    page.locator("#invite-heading").scroll_into_view_if_needed()
    shot(page, "review-invite-1280")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_email_pages_fit_the_screen(live_server, browser, wsgi_app, app_settings, width):
    sid = two_reviews_in(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=make_journal(db))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "admin@example.org")
    for name, path in (
        ("emails", "/admin/emails"),
        ("email-edit", "/admin/emails/review_invitation/en"),
        ("email-edit-zh", "/admin/emails/editorial_decision/zh"),
    ):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        shot(page, f"{name}-{width}")
    page.goto(f"{live_server}/admin/emails/review_invitation/en?submission={sid}")
    assert "Blended learning" in page.inner_text(".email-sample")
    context.close()
    if width == 390:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server, "editor@example.org")
        page.goto(f"{live_server}/editorial/submissions/{sid}/review")
        # The invite form with its letter fits (the rounds' table above it scrolls on its
        # own: not this form's).
        page.locator("#invite-heading").scroll_into_view_if_needed()
        box = page.locator("fieldset.letter-edit").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        shot(page, "review-390")
        page.goto(f"{live_server}/editorial/submissions/{sid}/review/compare")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, "decision-390")
        context.close()
