"""The author's uploaded figures on the production page, through the web: each figure shows
the manuscript's image beside the uploaded file (thumbnails), and the production editor of
the journal chooses per figure (CSRF, audit, the figure and the file checked against the
article); others cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
import webtest
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import JournalFactory, app_session, make_journal, make_user
from tests.production_factories import (
    add_manuscript,
    docx_with_image,
    image_bytes,
    make_accepted_submission,
    sample_metadata,
)
from tests.unit.production.test_figures import author_upload, png_bomb
from tests.web import csrf, sign_in

SETTINGS = {"fde.base_url": "http://localhost"}


@pytest.fixture
def converted(testapp, wsgi_app, app_settings, tmp_path):
    """An article converted from a DOCX with Figure 1, whose author uploaded
    "Figure 1.png" and "Figure 1 huge.png" (a decompression bomb); the production editor
    signed in. Returns the ids: (article, upload, bomb)."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    docx = docx_with_image(tmp_path, image_bytes("PNG", (160, 90)), "Figure 1. A chart.")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        editor = make_user(db, roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, "author@example.org", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
        upload = author_upload(
            db, storage, submission, "Figure 1.png", image_bytes("PNG", (500, 300))
        )
        bomb = author_upload(db, storage, submission, "Figure 1 huge.png", png_bomb())
        article = services.start_production(db, submission, editor)
        services.convert_manuscript(db, storage, article, SETTINGS)
        ids = (article.id, upload.id, bomb.id)
    sign_in(testapp, "prod@example.org")
    return ids


def _jats(wsgi_app, article_id: int) -> str:
    with app_session(wsgi_app) as db:
        return db.get(Article, article_id).jats_xml


def test_the_page_shows_both_images_and_the_editor_chooses(testapp, wsgi_app, converted):
    article_id, upload_id, bomb_id = converted
    base = f"/production/articles/{article_id}"
    page = testapp.get(base)
    (form,) = page.html.select("form.figure-choice")
    assert "Figure 1" in form.select_one("legend").text
    assert "uses the uploaded file" in form.select_one("legend").text
    options = {i["value"]: i.has_attr("checked") for i in form.select("input[name=choice]")}
    assert options == {"manuscript": False, f"upload-{upload_id}": True, f"upload-{bomb_id}": False}
    # Thumbnails of both images are served to the production editor, as PNG.
    thumbs = {img["src"].rsplit("/", 1)[-1]: img["src"] for img in form.select("img.figure-thumb")}
    assert len(thumbs) == 3
    for src in (v for k, v in thumbs.items() if k != str(bomb_id)):
        res = testapp.get(src)
        assert res.content_type == "image/png" and res.body.startswith(b"\x89PNG")
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in res.headers["Content-Security-Policy"]
    assert "500 × 300 px" in form.text and "160 × 90 px" in form.text
    # The bomb gets no thumbnail (nothing is decoded).
    testapp.get(f"{base}/figures/thumbnails/{bomb_id}", status=404)
    assert f"uploads/{upload_id}-Figure_1.png" in _jats(wsgi_app, article_id)

    fig_id = form.select_one("input[name=fig_id]")["value"]
    res = testapp.post(
        f"{base}/figures", {"csrf_token": csrf(page), "fig_id": fig_id, "choice": "manuscript"}
    )
    assert res.location.endswith(f"#figure-{fig_id}")
    page = res.follow()
    assert "The manuscript's image is used for this figure" in page.html.text
    form = page.html.select_one("form.figure-choice")
    assert form.select_one("input[value=manuscript]").has_attr("checked")
    assert "chosen by the production editor" in form.text
    assert f"uploads/{upload_id}" not in _jats(wsgi_app, article_id)
    with app_session(wsgi_app) as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "figure_chosen")).one()
        assert event.detail["source"] == "manuscript" and event.detail["fig_id"] == fig_id

    # The bomb cannot be chosen: the page says why, the JATS stays.
    before = _jats(wsgi_app, article_id)
    page = testapp.post(
        f"{base}/figures",
        {"csrf_token": csrf(page), "fig_id": fig_id, "choice": f"upload-{bomb_id}"},
    ).follow()
    assert "Figure 1 huge.png cannot be used" in page.html.text
    assert _jats(wsgi_app, article_id) == before


def test_the_choice_needs_csrf_a_figure_of_the_article_and_its_own_files(
    testapp, wsgi_app, app_settings, converted
):
    article_id, upload_id, _bomb = converted
    base = f"/production/articles/{article_id}"
    page = testapp.get(base)
    fig_id = page.html.select_one("form.figure-choice input[name=fig_id]")["value"]
    before = _jats(wsgi_app, article_id)
    # Without the CSRF token: refused.
    testapp.post(f"{base}/figures", {"fig_id": fig_id, "choice": "manuscript"}, status=400)
    # Another article's figure id and another submission's file: refused with the reason.
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        other_author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        meta = {**sample_metadata(), "doi": "10.5555/fde.2026.0777"}
        other = make_accepted_submission(db, journal, other_author, metadata=meta)
        foreign = author_upload(db, storage, other, "Figure 1.png", image_bytes()).id
    token = csrf(page)
    for fig, choice, message in (
        ("fig-404", "manuscript", "The article has no such figure."),
        (fig_id, f"upload-{foreign}", "Choose the manuscript"),
        (fig_id, "upload-1 OR 1=1", "Choose the manuscript"),
        ("", "manuscript", "Choose an image for the figure."),
    ):
        res = testapp.post(
            f"{base}/figures", {"csrf_token": token, "fig_id": fig, "choice": choice}
        ).follow()
        assert message in res.html.text
    testapp.get(f"{base}/figures/thumbnails/{foreign}", status=404)
    assert _jats(wsgi_app, article_id) == before
    # GET is not a way to choose.
    testapp.get(f"{base}/figures", status=404)
    assert upload_id


def test_only_production_editors_of_the_journal_see_and_choose(testapp, wsgi_app, converted):
    article_id, upload_id, _bomb = converted
    base = f"/production/articles/{article_id}"
    with app_session(wsgi_app) as db:
        other = JournalFactory(db=db, code="other", title="Other journal")
        make_user(db, "elsewhere@example.org", roles=[Role.PRODUCTION_EDITOR], journal=other)
    for email in ("author@example.org", "elsewhere@example.org"):
        client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
        sign_in(client, email)
        page = client.get("/")
        client.get(base, status=403)
        client.get(f"{base}/figures/thumbnails/{upload_id}", status=403)
        client.post(
            f"{base}/figures",
            {"csrf_token": csrf(page), "fig_id": "fig-1", "choice": "manuscript"},
            status=403,
        )
    anonymous = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert anonymous.get(f"{base}/figures/thumbnails/{upload_id}").status_int == 302


def test_the_conversion_job_takes_the_upload_and_the_page_says_so(
    testapp, wsgi_app, app_settings, tmp_path
):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    docx = docx_with_image(tmp_path, image_bytes("PNG", (160, 90)), "Figure 1. A chart.")
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        add_manuscript(db, storage, submission, Path("paper.docx"), data=docx)
        upload = author_upload(db, storage, submission, "Fig_1.tif", image_bytes("TIFF"))
        article_id = services.start_production(db, submission, editor).id
        upload_id = upload.id
    sign_in(testapp, "prod@example.org")
    base = f"/production/articles/{article_id}"
    page = testapp.get(base)
    testapp.post(base + "/convert", {"csrf_token": csrf(page)}).follow()
    page = testapp.get(base)
    notes = page.html.select_one("#figure-notes").text
    assert "Taken from the author's files at the last conversion (1)" in notes
    assert f"the uploaded Fig_1.tif is used (uploads/{upload_id}-Fig_1.tif)" in notes
    assert page.html.select_one(f"input[value=upload-{upload_id}]").has_attr("checked")
    # The figure list of the JATS names the upload, present (served as PNG).
    row = page.html.select_one("#asset-list tbody tr")
    assert f"uploads/{upload_id}-Fig_1.tif" in row.text and "asset-present" in row["class"]
    served = testapp.get(row.select_one("a")["href"])
    assert served.content_type == "image/png"


def test_the_figure_choice_speaks_chinese(testapp, converted):
    article_id, _upload_id, _bomb = converted
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/production/articles/{article_id}")
    section = page.html.select_one("#figures")
    text = section.text
    assert "图：稿件中的图像或作者上传的文件" in text
    assert "稿件中的图像" in text and "作者上传" in text and "使用所选图像" in text
    assert "500 × 300 像素" in text
    for english in ("Image in the manuscript", "Uploaded by the author", "Use the chosen image"):
        assert english not in text
