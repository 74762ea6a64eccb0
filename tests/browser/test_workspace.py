"""The editor's workspace in a real browser: the editor-in-chief opens a paper under review
and finds its state, its handling editor, what is due and the next action in the band at
the top, in the first screen; at 1280 px the people stand in a side column beside the
stages, at 390 px everything is one column with the action first and nothing is wider than
the screen. The action works from there."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ReviewMode
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.functional.test_workspace import _paper, _review

pytestmark = pytest.mark.browser


def paper_under_review(wsgi_app) -> int:
    """A paper under review with one review in, handled by the editor-in-chief."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        chief = make_user(
            db,
            "chief@example.org",
            roles=[Role.EDITOR_IN_CHIEF],
            journal=journal,
            given_name="Chen",
            family_name="Chief",
        )
        author = make_user(db, "author@example.org", given_name="Ana", family_name="Author")
        reviewer = make_user(
            db,
            "rev@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Riya",
            family_name="Reviewer",
        )
        s = _paper(db, journal, author, "under review", ReviewMode.SINGLE_ANONYMOUS)
        s.handling_editor_id = chief.id
        workflow.apply(db, s, "send_to_review", chief)
        _review(db, s, chief, reviewer)
        return s.id


def _open(browser, live_server: str, sid: int, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#email", "chief@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/editorial/submissions/{sid}")
    return context, page


def test_the_band_and_two_columns_at_1280(live_server, browser, wsgi_app):
    sid = paper_under_review(wsgi_app)
    context, page = _open(browser, live_server, sid, 1280, 800)
    band = page.locator(".work-band")
    assert "Under review" in band.inner_text()
    assert band.locator("#ws-handling").inner_text() == "you"
    primary = page.locator("#ws-actions .primary-action [data-action]")
    assert primary.get_attribute("data-action") == "decide"
    box = primary.bounding_box()
    assert box["y"] + box["height"] < 800  # in the first screen, without scrolling
    main, side = (
        page.locator(".work-main").bounding_box(),
        page.locator(".work-side").bounding_box(),
    )
    assert side["x"] >= main["x"] + main["width"]  # the people beside the stages
    assert side["y"] < main["y"] + 50
    # The primary action leads to the reviews side by side, the decision form beside them.
    primary.click()
    page.wait_for_url(f"**/editorial/submissions/{sid}/review/compare")
    assert page.locator(".compare-decision form").is_visible()
    context.close()


def test_one_column_with_the_action_first_at_390(live_server, browser, wsgi_app):
    sid = paper_under_review(wsgi_app)
    context, page = _open(browser, live_server, sid, 390, 844)
    action = page.locator("#ws-actions .primary-action [data-action]").bounding_box()
    stages = page.locator("#stages").bounding_box()
    side = page.locator(".work-side").bounding_box()
    assert action["y"] + action["height"] < 844  # in the first screen
    assert action["y"] < stages["y"] < side["y"]  # the action, the stages, then the people
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The reviewers as cards: each fact labelled, nothing cut.
    assert page.locator(".reviewer-table td.reviewer-name").first.is_visible()
    context.close()
