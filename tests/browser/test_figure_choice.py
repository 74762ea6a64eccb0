"""The production editor compares a figure's two images in a real browser: the thumbnails
of the manuscript's image and of the author's upload load, and choosing one changes which
image the article uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.production_factories import (
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
)
from tests.unit.production.test_figures import author_upload

pytestmark = pytest.mark.browser


@pytest.fixture
def article_path(wsgi_app, app_settings, tmp_path) -> str:
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    docx = docx_with_image(tmp_path, image_bytes("PNG", (320, 180)), "Figure 1. A chart.")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
        upload = image_bytes("TIFF", (900, 600), color=(200, 60, 40))
        author_upload(db, storage, submission, "Fig_1.tif", upload)
        author_upload(db, storage, submission, "graphical abstract.png", image_bytes("PNG"))
        article = services.start_production(db, submission, editor)
        services.convert_manuscript(db, storage, article, {"fde.base_url": "http://localhost"})
        return f"/production/articles/{article.id}"


def test_the_editor_sees_both_images_and_chooses(live_server, page, article_path):
    page.goto(live_server + "/login")
    page.fill("#email", "prod@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(live_server + article_path + "#figures")
    form = page.locator("form.figure-choice")
    assert "uses the uploaded file" in form.locator("legend").inner_text()
    thumbs = form.locator(".figure-options").first.locator("img.figure-thumb")
    assert thumbs.count() == 2
    for i in range(2):
        thumbs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(i).element_handle()
        )
    widths = [thumbs.nth(i).evaluate("img => img.naturalWidth") for i in range(2)]
    assert widths == [320, 320]  # the manuscript's 320 px image; the TIFF shrunk to 320
    shots = os.environ.get("FDE_SCREENSHOTS")
    if shots:
        form.screenshot(path=str(Path(shots) / "figure-choice.png"))
    form.locator("input[value=manuscript]").check()
    form.locator("button[type=submit]").click()
    assert "The manuscript's image is used for this figure" in page.locator("body").inner_text()
    assert page.locator("form.figure-choice input[value=manuscript]").is_checked()
    assert "chosen by the production editor" in page.locator("form.figure-choice").inner_text()
    if shots:
        page.screenshot(path=str(Path(shots) / "figure-choice-after.png"), full_page=True)
