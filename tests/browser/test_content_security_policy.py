"""The site's pages under the Content-Security-Policy the app sends, in Chromium: nothing is
refused (the browser fixture fails a test on any violation), the pages still look right on
a desktop and on a phone, and the watch really sees a refused inline script."""

from __future__ import annotations

import pytest

from frontiers_de.security.headers import SITE_POLICY
from tests.factories import app_session, make_journal
from tests.publishing_factories import FIXTURE_DOI, make_issue, publish_article

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/issues",
    "/issues/1/1",
    "/search?q=learning",
    f"/articles/{FIXTURE_DOI}",
    "/login",
    "/register",
)


@pytest.fixture
def published(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal, 1, "1", title="Digital education after the pandemic")
        publish_article(db, journal, FIXTURE_DOI, issue=issue)


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_main_pages_render_under_the_policy(
    live_server, browser, published, tmp_path, name, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    for path in PAGES:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"] == SITE_POLICY
        # the stylesheet applied (not refused): the header is laid out as a flex row/column
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.site-header .header-row')).display"
        ) in ("flex", "grid"), path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{path} scrolls sideways at {width} px"
        slug = path.strip("/").replace("/", "_").replace("?", "_") or "home"
        page.screenshot(path=str(tmp_path / f"{name}-{slug[:60]}.png"), full_page=True)
    context.close()


def test_the_watch_sees_a_refused_inline_script(live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None  # refused by script-src 'self'
    assert any("script-src" in v for v in browser.violations)
    browser.violations.clear()  # seen on purpose; the fixture checks for any others
    context.close()
