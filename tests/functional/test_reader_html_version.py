"""Stored reader HTML does not go stale: HTML made by an older release's rendering is made
again from the JATS when the article is next shown (and by ``fde initdb``), without
raising the article's edit version or overwriting a newer save."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from frontiers_de.articles.models import Article
from frontiers_de.production.jats.html import rendering_version
from frontiers_de.production.services import rebuild_reader_html, refresh_reader_html
from tests.factories import app_session, make_journal
from tests.publishing_factories import make_issue, publish_article

DOI = "10.5555/fde.2026.0202"
OLD = "<article><p>Rendered by an older stylesheet.</p></article>"


def _publish(wsgi_app, *, html_version: str | None, jats: str = "") -> int:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue = make_issue(db, journal, 1, "1")
        article = publish_article(db, journal, DOI, issue=issue, jats=jats)
        article.html, article.html_version = OLD, html_version
        db.flush()
        return article.id


def _stored(wsgi_app) -> Article:
    with app_session(wsgi_app) as db:
        article = db.scalars(select(Article).where(Article.doi == DOI)).one()
        db.expunge(article)
        return article


def test_an_article_with_old_html_is_shown_with_the_new_rendering(testapp, wsgi_app):
    _publish(wsgi_app, html_version="0123456789abcdef")
    before = _stored(wsgi_app)
    page = testapp.get(f"/articles/{DOI}")
    assert "Rendered by an older stylesheet" not in page.text
    # the stylesheet's output: the marked reference heading and the article's own title
    assert page.html.select_one(".ref-list h2").get_text(strip=True) == "References"
    after = _stored(wsgi_app)
    assert after.html_version == rendering_version()
    assert after.html
    # shown as stored, with the page's Download / Cite box after the article's header
    head, rest = after.html.split("</header>", 1)
    assert head + "</header>" in page.text and rest in page.text
    # a reader's view is not an edit: nobody's open edit of the article becomes a conflict
    assert after.version == before.version
    assert after.updated_at == before.updated_at
    # the next view finds it current and shows what is stored
    assert testapp.get(f"/articles/{DOI}").text.count(rest) == 1


def test_html_of_unknown_rendering_counts_as_old(testapp, wsgi_app):
    _publish(wsgi_app, html_version=None)  # stored before versions were kept
    testapp.get(f"/articles/{DOI}")
    assert _stored(wsgi_app).html_version == rendering_version()
    assert "older stylesheet" not in (_stored(wsgi_app).html or "")


def test_current_html_is_shown_as_stored(testapp, wsgi_app):
    _publish(wsgi_app, html_version=rendering_version())
    assert "Rendered by an older stylesheet" in testapp.get(f"/articles/{DOI}").text


def test_jats_that_cannot_be_rendered_keeps_its_html_and_is_tried_once(testapp, wsgi_app):
    _publish(wsgi_app, html_version="0123456789abcdef", jats="<article><front>")
    assert "Rendered by an older stylesheet" in testapp.get(f"/articles/{DOI}").text
    assert _stored(wsgi_app).html_version == rendering_version()


def test_a_newer_save_is_not_overwritten(wsgi_app):
    """The HTML is written only where the article is still the one that was read: an
    editor's save in between (a new version, HTML from newer JATS) wins."""
    _publish(wsgi_app, html_version="0123456789abcdef")
    with app_session(wsgi_app) as reader_db:
        seen = reader_db.scalars(select(Article).where(Article.doi == DOI)).one()
        with app_session(wsgi_app) as editor_db:
            edited = editor_db.scalars(select(Article).where(Article.doi == DOI)).one()
            edited.html, edited.html_version = "<article>edited</article>", "fedcba9876543210"
        assert refresh_reader_html(reader_db, seen) is False
    assert _stored(wsgi_app).html == "<article>edited</article>"


def test_initdb_rebuilds_only_stale_html(wsgi_app):
    _publish(wsgi_app, html_version="0123456789abcdef")
    with app_session(wsgi_app) as db:
        first = rebuild_reader_html(db, stale_only=True)
    with app_session(wsgi_app) as db:
        second = rebuild_reader_html(db, stale_only=True)
    assert (first.rebuilt, second.rebuilt, second.unchanged) == (1, 0, 0)
    assert _stored(wsgi_app).html_version == rendering_version()


# Commits for real: two sessions in two threads, each on a connection of its own.
@pytest.mark.commits
def test_two_readers_at_once_write_it_once(wsgi_app):
    """Two requests find the same old HTML: the second's UPDATE waits for the first's
    (PostgreSQL: its row lock; SQLite: the database lock), then finds it current. Neither
    fails, and the HTML is written once."""
    _publish(wsgi_app, html_version="0123456789abcdef")
    factory = wsgi_app.registry["dbsession_factory"]
    first, second = factory(), factory()
    results: dict[str, object] = {}

    def later_reader() -> None:
        try:
            article = second.scalars(select(Article).where(Article.doi == DOI)).one()
            results["second"] = refresh_reader_html(second, article)
            second.commit()
        except Exception as exc:  # reported below: the thread must not swallow it
            results["second"] = exc
        finally:
            second.close()

    try:
        article = first.scalars(select(Article).where(Article.doi == DOI)).one()
        version = article.version
        assert refresh_reader_html(first, article) is True
        thread = threading.Thread(target=later_reader)
        thread.start()
        thread.join(0.5)  # the second reader waits on the first one's write
        first.commit()
    finally:
        first.close()
    thread.join(30)
    assert results == {"second": False}
    stored = _stored(wsgi_app)
    assert stored.html_version == rendering_version() and stored.version == version
