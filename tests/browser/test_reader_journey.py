"""A reader finds an article through the archive and downloads its citation, in a real
browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from pybtex.database import parse_string

from tests.factories import app_session, make_journal
from tests.publishing_factories import make_issue, publish_article

pytestmark = pytest.mark.browser

DOI = "10.5555/fde.2026.0001"


@pytest.fixture
def issue(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal, 1, "1", title="Digital education after the pandemic")
        publish_article(db, journal, DOI, issue=issue, title="Learning analytics in rural schools")


def test_from_the_navigation_to_an_article_and_its_bibtex(live_server, page, issue):
    page.goto(live_server + "/")
    page.click("nav.site-nav >> text=Issues")
    page.click(".issue-list >> text=Issue 1")
    assert page.locator("h1").inner_text().startswith("Volume 1, Issue 1")
    page.click(".toc-title a")
    assert page.url.endswith(f"/articles/{DOI}")
    assert page.locator(".article-issue a").inner_text() == "In Volume 1, Issue 1"
    with page.expect_download() as info:
        page.click(".cite-exports >> text=BibTeX")
    download = info.value
    assert download.suggested_filename.endswith(".bib")
    text = Path(download.path()).read_text(encoding="utf-8")
    entry = next(iter(parse_string(text, "bibtex").entries.values()))
    assert entry.fields["doi"] == DOI
    # Back to the table of contents from the article.
    page.click(".article-issue a")
    assert page.locator(".toc-entry").count() == 1


def test_search_from_the_header_box_to_an_article(live_server, page, issue):
    page.goto(live_server + "/issues")
    page.fill("#site-search-q", "rural analytics")
    page.press("#site-search-q", "Enter")
    assert "/search?q=rural+analytics" in page.url
    assert page.locator("#search-q").input_value() == "rural analytics"
    assert page.locator(".search-result").count() == 1
    assert page.locator(".result-title mark").all_inner_texts() == ["analytics", "rural"]
    page.click(".result-title a")
    assert page.url.endswith(f"/articles/{DOI}")
    # A Chinese query, and one that finds nothing: the query stays in the box.
    page.goto(live_server + "/")
    page.fill("#site-search-q", "农村学校")
    page.press("#site-search-q", "Enter")
    assert page.locator(".search-result").count() == 1
    page.fill("#search-q", '<b>"nothing like this"</b>')
    page.click(".search-form button")
    assert page.locator(".search-empty h2").inner_text() == "No results"
    assert page.locator("#search-q").input_value() == '<b>"nothing like this"</b>'
