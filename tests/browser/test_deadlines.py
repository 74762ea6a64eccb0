"""Deadlines in a real browser, at 1280 and 390 px: the admin's rules page and the lists
that flag what is overdue (the reviewer's, the editors', the author's, production's) show
"Overdue" in words and fit the phone's width. Screenshots go to ``FDE_SHOTS`` when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.functional.test_deadlines import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

PAGES = [
    ("admin", "admin@example.org", "/admin/deadlines", "Save the deadline rules"),
    ("reviews", "slow@example.org", "/reviews", "Overdue"),
    ("editorial", "chief@example.org", "/editorial", "Overdue"),
    ("all", "chief@example.org", "/editorial/submissions?overdue=1", "Overdue"),
    ("author", "author@example.org", "/submissions", "Overdue"),
    ("production", "prod@example.org", "/production", "Overdue"),
]


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_deadline_pages_flag_overdue_in_words_and_fit(live_server, browser, world, width):  # noqa: F811
    shots = os.environ.get("FDE_SHOTS")
    for name, email, path, text in PAGES:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(live_server + path)
        assert page.get_by_text(text, exact=False).first.is_visible(), (name, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
        context.close()
