"""The reviews side by side in a real browser: at 1280 px the decision form stands beside the
reviews (to their right, in view while the editor scrolls through them); on a phone (390
px) it follows the summary of recommendations, before the reviews, and nothing is wider
than the screen. The editor decides from there."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.functional.test_review_compare import LETTER, two_reviews_in

pytestmark = pytest.mark.browser


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", "editor@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")


def test_the_decision_form_is_beside_the_reviews_at_1280(
    live_server, browser, wsgi_app, app_settings
):
    sid = two_reviews_in(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/editorial/submissions/{sid}/review/compare")

    form = page.locator(".compare-decision form")
    reviews = page.locator(".compare-reviews")
    assert form.is_visible() and reviews.is_visible()
    decision, left = page.locator(".compare-decision").bounding_box(), reviews.bounding_box()
    assert decision["x"] >= left["x"] + left["width"]  # to the right of the reviews
    assert decision["y"] < 800  # in the first screen, not below the reviews
    # Scrolled down to the second review, the form is still in view.
    page.locator("#review-2").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    box = page.locator(".compare-decision").bounding_box()
    assert box["y"] < 800 and box["y"] + box["height"] > 0

    # Decide from here.
    page.check("#decision-minor_revision")
    page.fill("#message", LETTER)
    page.click(".compare-decision button[type=submit]")
    assert "The decision is recorded" in page.locator(".flashes").inner_text()
    assert "Round 1 is closed" in page.inner_text("main")
    context.close()


def test_on_a_phone_the_decision_follows_the_summary(live_server, browser, wsgi_app, app_settings):
    sid = two_reviews_in(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/editorial/submissions/{sid}/review/compare")

    top = {
        name: page.locator(selector).bounding_box()["y"]
        for name, selector in (
            ("summary", ".compare-summary"),
            ("decision", ".compare-decision"),
            ("reviews", ".compare-reviews"),
        )
    }
    assert top["summary"] < top["decision"] < top["reviews"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
