"""A refused form in a real browser: the focus lands on the error summary (so a keyboard or
screen reader user starts at the list of what to fix), and following an entry's link puts
the reader at the refused field."""

from __future__ import annotations

import pytest

from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user

pytestmark = pytest.mark.browser


def test_focus_lands_on_the_error_summary_and_its_links_reach_the_fields(
    live_server, page, wsgi_app
):
    with app_session(wsgi_app) as db:
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=make_journal(db))
    page.goto(live_server + "/register")
    page.fill("#email", "not an address")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    focused = page.evaluate("document.activeElement.getAttribute('data-error-summary')")
    assert focused is not None, page.evaluate("document.activeElement.outerHTML")
    assert page.evaluate("document.activeElement.querySelector('h2').textContent") == (
        "There is a problem"
    )
    page.click("[data-error-summary] a[href='#email']")
    assert page.evaluate("location.hash") == "#email"
    assert page.get_attribute("#email", "aria-invalid") == "true"
    page.screenshot(path="/tmp/A23-shots/register-refused-1200.png")


def test_the_summary_shows_well_on_a_phone(live_server, browser, wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/A23-shots/login-refused-390.png")
    context.close()
