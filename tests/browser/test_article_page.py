"""The public article page in a real browser: MathML laid out, citations that lead to their
references, the figure loaded, and the citation meta tags indexers read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import ArticleState
from frontiers_de.production import assets
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.articles_factories import ArticleFactory
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import image_bytes, make_accepted_submission

pytestmark = pytest.mark.browser

JATS = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
DOI = "10.5555/fde.2026.0001"


@pytest.fixture
def published(wsgi_app, app_settings) -> str:
    """A published article made from the valid JATS fixture (its HTML built as production
    builds it); no typesetting is needed for the page."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        article = ArticleFactory(
            db=db,
            journal=journal,
            submission=submission,
            doi=DOI,
            title="Learning analytics dashboards",
        )
        store_jats(db, storage, article, JATS.read_bytes(), filename="article.xml")
        # The figure the JATS names (fig1.png), kept as production keeps it.
        assets.upload_asset(
            db, storage, article, "fig1.png", image_bytes("PNG", (240, 150)), None, {}
        )
        article.pdf_sha256, article.pdf_pages = storage.put(b"%PDF-1.7 page"), 1
        article.state = ArticleState.PUBLISHED
        article.published_at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    return f"/articles/{DOI}"


def test_article_page_shows_math_and_links_citations_to_references(live_server, page, published):
    page.goto(live_server + published)
    # MathML is rendered by the browser: a laid-out formula has a real box.
    block = page.locator(".reader math[display=block]").first
    box = block.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 5
    assert page.locator(".reader math").count() >= 2
    # A citation in the text leads to its entry in the reference list.
    citation = page.locator(".reader a.xref-bibr[href='#r1']").first
    citation.click()
    assert page.evaluate("location.hash") == "#r1"
    reference = page.locator("#r1")
    assert reference.is_visible() and "Smith" in reference.inner_text()
    # The figure is a real image the browser loaded from the article's file route.
    figure = page.locator(".reader img.graphic").first
    figure.scroll_into_view_if_needed()  # the image is lazy-loaded
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=figure.element_handle(), timeout=10000
    )
    assert figure.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [240, 150]
    assert figure.get_attribute("alt") == "Line chart of weekly dashboard use"
    # The meta tags indexers read, and the PDF link.
    assert page.locator("meta[name=citation_doi]").get_attribute("content") == DOI
    pdf_url = page.locator("meta[name=citation_pdf_url]").get_attribute("content")
    assert pdf_url.endswith(f"/articles/{DOI}/pdf")
    download = page.locator(".article-tools a", has_text="Download PDF")
    assert download.get_attribute("href").endswith("/pdf")


def test_the_chinese_article_page(live_server, page, published, tmp_path):
    """In Chinese the labels of the article (headings, dates, screen-reader labels) are
    Chinese, the article itself stays as written."""
    page.context.add_cookies([{"name": "fde_lang", "value": "zh", "url": live_server}])
    page.goto(live_server + published)
    assert page.locator(".reader .ref-list h2").inner_text().strip() == "参考文献"
    dates = page.locator(".reader .article-info dt").all_inner_texts()
    assert "收稿日期" in dates and "发表日期" in dates
    assert page.locator(".reader ul.authors").get_attribute("aria-label") == "作者"
    assert page.locator(".brand-title").inner_text().strip() == "数字教育前沿"
    page.screenshot(path=str(tmp_path / "article-zh.png"), full_page=True)
