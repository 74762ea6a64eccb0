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
SHOTS = Path("/tmp/R1-shots")
# A long address with nowhere to break, as data citations and supplements carry them.
LONG_URL = "https://repository.example.org/datasets/" + "rural-schools-dashboard-usage-" * 6


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
        jats = JATS.read_bytes().replace(
            b"<p>We thank the teachers.</p>",
            b'<p>We thank the teachers. Data: <ext-link ext-link-type="uri" xlink:href="'
            + LONG_URL.encode()
            + b'">'
            + LONG_URL.encode()
            + b"</ext-link></p>",
        )
        store_jats(db, storage, article, jats, filename="article.xml")
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


def _wider_than_the_window(page) -> int:
    """How many pixels the page scrolls sideways (0: none)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def test_contents_follow_the_reader_and_the_cite_box_stands_beside_the_title(
    live_server, browser, published
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + published)
    outline = page.locator("nav.article-outline")
    assert outline.is_visible()
    assert outline.evaluate("e => getComputedStyle(e).position") == "sticky"
    links = outline.locator("a").all_inner_texts()
    assert "Introduction" in links and "References" in links
    # the Download / Cite box is beside the title, not above it
    title = page.locator(".reader h1.article-title").bounding_box()
    box = page.locator(".article-tools").bounding_box()
    assert box["x"] >= title["x"] + title["width"]
    assert box["y"] < title["y"] + title["height"] and box["y"] + box["height"] > title["y"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "article-1280.png"), full_page=True)
    # reading on, the contents stay in view; the section being read is marked
    page.locator("#r1").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    top = outline.bounding_box()["y"]
    assert 0 <= top <= 40
    page.screenshot(path=str(SHOTS / "article-1280-scrolled.png"))
    outline.locator("a", has_text="Results").click()
    page.wait_for_function("() => document.querySelector('.article-outline a[aria-current]')")
    assert page.evaluate("location.hash") == "#s2"
    context.close()


def test_the_style_picker_shows_the_chosen_style_in_place(live_server, page, published):
    page.goto(live_server + published)
    cited = page.locator(".formatted-citation")
    assert cited.inner_text().startswith("Wang, L., & Okafor, A. (2026).")
    page.select_option("#cite-style", "china-national-standard-gb-t-7714-2015-numeric")
    page.wait_for_function(
        "() => document.querySelector('.formatted-citation').textContent.includes('[J/OL]')"
    )
    assert cited.inner_text().startswith("WANG L, OKAFOR A.")
    assert "style=china-national-standard-gb-t-7714-2015-numeric" in page.url
    assert (
        page.locator(".cite-exports a", has_text="Plain text")
        .get_attribute("href")
        .endswith("style=china-national-standard-gb-t-7714-2015-numeric")
    )


def test_a_figure_opens_at_full_size_and_closes(live_server, page, published):
    page.goto(live_server + published)
    link = page.locator("figure#f1 a.figure-full")
    assert page.locator("figure#f1 a.figure-download").get_attribute("download") == ""
    link.click()
    viewer = page.locator("dialog.figure-viewer[open]")
    viewer.wait_for()
    image = viewer.locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10000
    )
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [240, 150]
    assert image.get_attribute("alt") == "Line chart of weekly dashboard use"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "figure-viewer-1280.png"))
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.figure-viewer')")
    # focus goes back to where the reader was
    assert page.evaluate("document.activeElement.className") == "figure-full"


@pytest.mark.parametrize("width", [390, 320])
def test_no_sideways_scroll_on_a_phone(live_server, browser, published, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="en-GB", is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server + published)
    assert _wider_than_the_window(page) <= 0
    # the contents start folded on a phone, the box follows the article's header
    assert page.locator(".article-outline details").evaluate("d => d.open") is False
    header = page.locator(".reader .article-header").bounding_box()
    box = page.locator(".article-tools").bounding_box()
    assert box["y"] >= header["y"] + header["height"] - 1
    # the long address wraps inside the text column
    long_link = page.locator(f".reader a[href='{LONG_URL}']")
    long_link.scroll_into_view_if_needed()
    edge = long_link.evaluate("a => Math.max(...[...a.getClientRects()].map(r => r.right))")
    assert edge <= width
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"article-{width}.png"), full_page=True)
    context.close()
