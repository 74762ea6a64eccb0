"""Figure descriptions in a real browser: the production editor writes alt text and a long
description; the reader page's image carries the alt text, its accessible description is
the long description (closed under the image, opened by the reader), and nothing scrolls
sideways at 390 px. Screenshots go to ``FDE_SCREENSHOTS`` when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.services import add_file, start_submission
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.production_factories import (
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
)
from tests.publishing_factories import jats_with, make_issue, publish_article
from tests.unit.production.test_figures import author_upload

pytestmark = pytest.mark.browser
DOI = "10.5555/fde.2026.0790"


def _shot(target, name: str) -> None:
    folder = os.environ.get("FDE_SCREENSHOTS")
    if folder:
        target.screenshot(path=str(Path(folder) / name))


@pytest.fixture
def article_path(wsgi_app, app_settings, tmp_path) -> str:
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    docx = docx_with_image(tmp_path, image_bytes("PNG", (320, 180)), "Figure 1. Logins by week.")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
        author_upload(db, storage, submission, "Figure 1.png", image_bytes("PNG", (600, 300)))
        article = services.start_production(db, submission, editor)
        services.convert_manuscript(db, storage, article, {"fde.base_url": "http://localhost"})
        jats = jats_with(DOI).replace(
            "<alt-text>Line chart of weekly dashboard use</alt-text>",
            "<alt-text>Line chart: weekly use climbs from 12 to 85</alt-text>"
            "<long-desc>Week 1: 12 uses.\nWeek 2: 30 uses.\nWeek 3: 85 uses, the highest; "
            "https://example.org/a/very/long/address/that/must/wrap/on/a/small/screen</long-desc>",
        )
        published = publish_article(
            db, journal, DOI, issue=make_issue(db, journal, 1, "1"), jats=jats
        )
        published.html_version = "stale"
        return f"/production/articles/{article.id}"


@pytest.mark.parametrize("width", [1280, 390])
def test_describing_and_reading_a_figure(live_server, browser, article_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#email", "prod@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(live_server + article_path + "#figures")
    form = page.locator("form.figure-description")
    form.locator("textarea[name=alt_text]").fill("x" * 260)
    form.locator("button[type=submit]").click()
    refused = page.locator("form.figure-description")
    assert refused.locator("textarea[name=alt_text]").get_attribute("aria-invalid") == "true"
    _shot(refused, f"production-description-refused-{width}.png")
    refused.locator("textarea[name=alt_text]").fill("Bar chart: logins rise each week")
    refused.locator("textarea[name=long_desc]").fill("Week 1: 10 logins.\nWeek 2: 40 logins.")
    refused.locator("button[type=submit]").click()
    assert "description is saved" in page.locator("body").inner_text()
    _shot(page.locator("form.figure-description"), f"production-description-{width}.png")
    # the form fits (the page's assets table is issue 14's reflow work, elsewhere)
    box = page.locator("form.figure-description").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width

    page.goto(live_server + f"/articles/{DOI}")
    img = page.locator("figure.fig img").first
    assert img.get_attribute("alt") == "Line chart: weekly use climbs from 12 to 85"
    described = page.locator("#" + img.get_attribute("aria-describedby"))
    assert not described.is_visible()
    page.locator("details.long-desc summary").first.click()
    assert described.is_visible() and "Week 2: 30 uses." in described.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("figure.fig").first.scroll_into_view_if_needed()
    _shot(page.locator("figure.fig").first, f"reader-figure-{width}.png")
    context.close()


@pytest.fixture
def draft_path(wsgi_app, app_settings) -> str:
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "li.na@example.edu.cn", journal=journal)
        submission = start_submission(db, journal, author, journal.sections[0].id)
        for name in ("Figure 1.png", "Figure 2 infographic.png"):
            add_file(db, storage, submission, "figure", name, image_bytes(), author)
        return f"/submissions/{submission.id}/files"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_author_describes_figures(live_server, browser, draft_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#email", "li.na@example.edu.cn")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(live_server + draft_path)
    forms = page.locator("form.figure-description")
    assert forms.count() == 2
    forms.nth(1).locator("textarea[name=alt_text]").fill("Ten tips, one per box")
    forms.nth(1).locator("textarea[name=long_desc]").fill("1. Plan.\n2. Test early.")
    forms.nth(1).locator("button[type=submit]").click()
    assert "is saved" in page.locator("body").inner_text()
    section = page.locator("#figure-descriptions")
    assert "described" in section.locator("legend").nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(section, f"author-descriptions-{width}.png")
    context.close()
