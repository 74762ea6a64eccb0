"""The reviewer finder in a real browser: at 1280 px the table of reviewers and the finder
of the review page fit the page; on a phone (390 px) nothing is wider than the screen, each
table scrolls inside its own region, labelled and reachable by keyboard, and the Invite
button selects the reviewer in the invitation form. Screenshots go to /tmp/F-shots when
FDE_SHOTS is set."""

from __future__ import annotations

import os

import pytest

from tests.browser.test_review_compare import sign_in
from tests.functional.test_reviewer_finder import _set_up

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    folder = os.environ.get("FDE_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_finder_fits_and_its_tables_scroll_in_their_region(
    live_server, browser, wsgi_app, app_settings, width
):
    sid = _set_up(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server)
    for path, name in (
        (f"/editorial/reviewers?submission={sid}", "ranked"),
        (f"/editorial/submissions/{sid}/review", "review"),
    ):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        region = page.locator(".table-scroll:has(table.finder-table)")
        label = page.locator("#" + region.get_attribute("aria-labelledby")).inner_text()
        assert label and region.get_attribute("role") == "region"
        region.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
        wider = region.evaluate("e => e.scrollWidth > e.clientWidth")
        if name == "ranked":  # on a phone the table scrolls inside its box
            assert wider == (width == 390)
        # On the review page the finder stands in the side column beside the rounds, where
        # it may scroll inside its box at any width; the page itself never does (above).
        _shot(page, f"browser-{name}-{width}.png")

    # Invite: the invitation form comes back with the reviewer chosen.
    page.locator("section.finder table.finder-table a.button").first.click()
    assert page.locator("#reviewer_id option:checked").inner_text().startswith("Riya Reviewer")
    context.close()
