"""Figures and files through the web: the production page lists what the JATS names
(present or missing), the editor uploads a missing figure (bad files refused with the
reason), and the files are served — to the production editor at any time, to the public
once the article is published — with their type, nosniff, a script-blocking policy and an
ETag that answers 304."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
import webtest
from sqlalchemy import select

from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import SVG_WITH_SCRIPT, image_bytes, make_accepted_submission
from tests.web import csrf, sign_in

VALID_JATS = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
DOI = "10.5555/fde.2026.0012"  # the sample metadata's DOI


def _jats(figure: str = "fig1.png", supplement: str | None = None) -> bytes:
    data = VALID_JATS.read_bytes().replace(b"fig1.png", figure.encode())
    if supplement:
        data = data.replace(
            b"</sec>", f'<supplementary-material xlink:href="{supplement}"/></sec>'.encode(), 1
        )
    return data


@pytest.fixture
def in_production(testapp, wsgi_app, app_settings):
    """A production editor signed in and an article in production whose JATS names
    fig1.png, which is not there yet. Returns a function that makes another such article."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])

    def make(jats: bytes = _jats()) -> int:
        with app_session(wsgi_app) as db:
            journal = make_journal(db)
            editor = make_user(db, roles=[Role.PRODUCTION_EDITOR], journal=journal)
            author = make_user(db, roles=[Role.AUTHOR], journal=journal)
            submission = make_accepted_submission(db, journal, author)
            article = services.start_production(db, submission, editor)
            store_jats(db, storage, article, jats, filename="article.xml")
            return article.id

    with app_session(wsgi_app) as db:
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=make_journal(db))
    sign_in(testapp, "prod@example.org")
    return make


def _upload(client, article_id: int, name: str, filename: str, data: bytes):
    page = client.get(f"/production/articles/{article_id}")
    return client.post(
        f"/production/articles/{article_id}/assets",
        {"csrf_token": csrf(page), "name": name},
        upload_files=[("file", filename, data)],
    ).follow()


def _publish(wsgi_app, article_id: int) -> None:
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        article.state = ArticleState.PUBLISHED
        article.published_at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def test_the_editor_sees_the_missing_figure_and_uploads_it(testapp, in_production):
    article_id = in_production()
    base = f"/production/articles/{article_id}"
    page = testapp.get(base)
    row = page.html.select_one("#asset-list tbody tr")
    assert "asset-missing" in row["class"] and "fig1.png" in row.text and "Missing" in row.text
    assert "1 file(s): 0 present, 1 missing" in page.html.select_one("#assets-summary").text
    testapp.get(base + "/assets/fig1.png", status=404)

    # A JPEG under a PNG name, an empty file, a name the JATS does not use: refused, kept out.
    page = _upload(testapp, article_id, "fig1.png", "photo.jpg", image_bytes("JPEG"))
    assert "fig1.png names a PNG image, but the file is JPEG." in page.text
    page = _upload(testapp, article_id, "fig1.png", "empty.png", b"")
    assert "The file is empty." in page.text
    page = _upload(testapp, article_id, "../../etc/passwd", "x.png", image_bytes("PNG"))
    assert "leaves the article's folder" in page.html.text
    page = _upload(testapp, article_id, "fig2.png", "fig2.png", image_bytes("PNG"))
    assert "The JATS names no file fig2.png" in page.html.text
    assert "asset-missing" in page.html.select_one("#asset-list tbody tr")["class"]

    png = image_bytes("PNG", (200, 120))
    page = _upload(testapp, article_id, "fig1.png", "my figure.png", png)
    assert "fig1.png is saved." in page.text
    row = page.html.select_one("#asset-list tbody tr")
    assert "asset-present" in row["class"] and "image/png" in row.text
    link = row.select_one("a")["href"]
    served = testapp.get(link)
    assert served.body == png and served.content_type == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in served.headers["Cache-Control"]
    # Not public while the article is in production, by id or by DOI.
    public = webtest.TestApp(testapp.app, extra_environ={"HTTP_HOST": "localhost"})
    public.get(f"/articles/id/{article_id}/assets/fig1.png", status=404)
    # Only the production editor may see it before publication.
    public.get(link, status=302)


def test_the_upload_form_needs_a_name_and_a_file(testapp, in_production):
    article_id = in_production()
    page = testapp.get(f"/production/articles/{article_id}")
    res = testapp.post(
        f"/production/articles/{article_id}/assets", {"csrf_token": csrf(page), "name": "fig1.png"}
    ).follow()
    assert "Choose a file to upload." in res.text
    res = testapp.post(
        f"/production/articles/{article_id}/assets",
        {"csrf_token": csrf(page)},
        upload_files=[("file", "fig1.png", image_bytes("PNG"))],
    ).follow()
    assert "Choose which file of the JATS you are uploading." in res.text


def test_a_published_articles_figure_is_public_with_caching_headers(
    testapp, wsgi_app, in_production
):
    article_id = in_production()
    png = image_bytes("PNG")
    _upload(testapp, article_id, "fig1.png", "fig1.png", png)
    _publish(wsgi_app, article_id)
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})

    # The article page's figure points at the route by id, which serves it.
    page = public.get(f"/articles/{DOI}")
    src = page.html.select_one(".reader img.graphic")["src"]
    assert src == f"/articles/id/{article_id}/assets/fig1.png"
    res = public.get(src)
    assert res.body == png and res.content_type == "image/png"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src" not in res.headers["Content-Security-Policy"]
    assert "default-src 'none'" in res.headers["Content-Security-Policy"]
    assert (
        "public" in res.headers["Cache-Control"] and "max-age=3600" in res.headers["Cache-Control"]
    )
    assert res.headers["Content-Disposition"].startswith("inline")
    etag = res.headers["ETag"]
    assert etag == f'"{hashlib.sha256(png).hexdigest()}"'  # content-addressed
    # The browser asks again with its ETag: 304, no body.
    again = public.get(src, headers={"If-None-Match": etag}, status=304)
    assert again.body == b""
    # The same file by DOI.
    by_doi = public.get(f"/articles/{DOI}/assets/fig1.png")
    assert by_doi.body == png and by_doi.headers["ETag"] == etag
    # Names the JATS does not use, and tricks, find nothing.
    for bad in ("fig2.png", "../fig1.png", "%2e%2e/fig1.png", "fig1.png%00"):
        public.get(f"/articles/id/{article_id}/assets/{bad}", status=404)
    public.get("/articles/10.5555/fde.2026.9999/assets/fig1.png", status=404)


def test_an_unpublished_articles_figure_is_not_public(testapp, wsgi_app, in_production):
    article_id = in_production()
    _upload(testapp, article_id, "fig1.png", "fig1.png", image_bytes("PNG"))
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    public.get(f"/articles/id/{article_id}/assets/fig1.png", status=404)
    public.get(f"/articles/{DOI}/assets/fig1.png", status=404)
    # The production editor still gets it, any state.
    testapp.get(f"/production/articles/{article_id}/assets/fig1.png", status=200)


def test_svg_is_served_so_that_no_script_runs(testapp, wsgi_app, in_production):
    article_id = in_production(_jats("fig1.svg"))
    _upload(testapp, article_id, "fig1.svg", "fig1.svg", SVG_WITH_SCRIPT)
    _publish(wsgi_app, article_id)
    res = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"}).get(
        f"/articles/id/{article_id}/assets/fig1.svg"
    )
    assert res.content_type == "image/svg+xml"
    policy = res.headers["Content-Security-Policy"]
    # default-src 'none' with no script-src: scripts are blocked; sandbox as well.
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert res.headers["X-Content-Type-Options"] == "nosniff"


def test_tiff_is_served_as_png(testapp, wsgi_app, in_production):
    article_id = in_production(_jats("fig1.tif"))
    tiff = image_bytes("TIFF", (90, 60))
    _upload(testapp, article_id, "fig1.tif", "scan.tif", tiff)
    _publish(wsgi_app, article_id)
    res = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"}).get(
        f"/articles/id/{article_id}/assets/fig1.tif"
    )
    assert res.content_type == "image/png" and res.body.startswith(b"\x89PNG")
    assert res.headers["ETag"].strip('"').endswith("-png")
    assert 'filename="fig1.png"' in res.headers["Content-Disposition"]


def test_a_supplement_is_a_download(testapp, wsgi_app, in_production):
    article_id = in_production(_jats(supplement="data/scores.csv"))
    page = _upload(testapp, article_id, "data/scores.csv", "scores.csv", b"group,score\na,1\n")
    assert "data/scores.csv is saved." in page.text
    _publish(wsgi_app, article_id)
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    page = public.get(f"/articles/{DOI}")
    link = page.html.select_one(".reader .supplementary-material a.download")["href"]
    assert link == f"/articles/id/{article_id}/assets/data/scores.csv"
    res = public.get(link)
    assert res.content_type == "text/csv" and res.body == b"group,score\na,1\n"
    assert res.headers["Content-Disposition"] == 'attachment; filename="scores.csv"'


def test_article_html_of_the_article_links_no_relative_figure(testapp, wsgi_app, in_production):
    article_id = in_production()
    with app_session(wsgi_app) as db:
        article = db.scalar(select(Article).where(Article.id == article_id))
        assert 'src="fig1.png"' not in article.html
        assert f'src="/articles/id/{article_id}/assets/fig1.png"' in article.html


def test_the_figures_section_and_its_errors_speak_chinese(testapp, in_production):
    article_id = in_production()
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/production/articles/{article_id}")
    assert "图和文件" in page.text and "1 个缺失" in page.text
    page = _upload(testapp, article_id, "fig1.png", "photo.jpg", image_bytes("JPEG"))
    assert "fig1.png 应为 PNG 图像，但该文件是 JPEG。" in page.text


def test_a_name_with_spaces_and_chinese_is_served(testapp, wsgi_app, in_production):
    name = "图表/图 1.png"
    article_id = in_production(_jats(name))
    png = image_bytes("PNG")
    assert f"{name} is saved." in _upload(testapp, article_id, name, "x.png", png).text
    _publish(wsgi_app, article_id)
    public = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    src = public.get(f"/articles/{DOI}").html.select_one(".reader img.graphic")["src"]
    # The HTML writer percent-encodes the link as UTF-8, as a browser would.
    assert src == f"/articles/id/{article_id}/assets/{quote(name)}"
    assert public.get(src).body == png
