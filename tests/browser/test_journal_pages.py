"""The home page and the journal's pages in a real browser: at 1280 px the current issue
(cover beside its contents) leads and the announcements stand in a side column; on a phone
(390 px) everything follows in one column and nothing is wider than the screen."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from frontiers_de.articles.covers import set_cover
from frontiers_de.security.roles import Role
from frontiers_de.site import news
from frontiers_de.storage import storage_from_settings
from tests.factories import app_session, make_journal, make_user
from tests.publishing_factories import make_issue, publish_article

pytestmark = pytest.mark.browser


def _seed(wsgi_app, app_settings) -> None:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        chief = make_user(
            db,
            "chief@example.org",
            roles=[Role.EDITOR_IN_CHIEF],
            journal=journal,
            given_name="Wei",
            family_name="Zhang",
            affiliation="East China Normal University",
        )
        issue = make_issue(db, journal, 1, "1", title="Learning at home")
        for n, title in enumerate(
            ("Tutors online: a field study", "Homework apps and sleep", "MOOCs in rural China")
        ):
            publish_article(db, journal, f"10.5555/fde.2026.02{n:02d}", title=title, issue=issue)
        out = io.BytesIO()
        Image.new("RGB", (600, 800), (18, 52, 86)).save(out, "PNG")
        set_cover(db, storage_from_settings(dict(app_settings)), issue, out.getvalue(), None)
        news.post(db, journal.id, chief, "Call for papers", "Send them by June.", "en")
        news.post(db, journal.id, chief, "征稿启事", "欢迎投稿。", "zh")


def _shot(page, name: str) -> None:
    import os

    folder = os.environ.get("FDE_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_home_page_at_1280_puts_the_issue_first_and_news_beside_it(
    live_server, browser, wsgi_app, app_settings
):
    _seed(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/")
    cover = page.locator(".issue-cover img").bounding_box()
    contents = page.locator(".current-issue .toc").bounding_box()
    assert cover["width"] > 100 and contents["x"] > cover["x"] + cover["width"]
    assert page.evaluate("document.querySelector('.issue-cover img').naturalWidth") == 600
    main, side = (
        page.locator(".home-main").bounding_box(),
        page.locator(".home-side").bounding_box(),
    )
    assert side["x"] >= main["x"] + main["width"] and side["y"] < 900
    assert "Call for papers" in page.locator(".home-side").inner_text()
    assert page.locator(".news-compact li[lang='zh-Hans']").count() == 1
    _shot(page, "home-1280")
    page.click("footer >> text=Editorial board")
    assert "Wei Zhang" in page.locator("main").inner_text()
    _shot(page, "board-1280")
    page.goto(live_server + "/about/peer-review")
    article, nav = (
        page.locator(".about-page").bounding_box(),
        page.locator(".about-nav").bounding_box(),
    )
    assert nav["x"] >= article["x"] + article["width"]
    _shot(page, "about-1280")
    context.close()


def test_on_a_phone_the_pages_are_one_column_and_fit(live_server, browser, wsgi_app, app_settings):
    _seed(wsgi_app, app_settings)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    for path in ("/", "/about", "/about/peer-review", "/about/editorial-board", "/news"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
        _shot(page, "phone" + path.replace("/", "-"))
    page.goto(live_server + "/")
    main, side = (
        page.locator(".home-main").bounding_box(),
        page.locator(".home-side").bounding_box(),
    )
    assert side["y"] >= main["y"] + main["height"]
    context.close()
