"""The site's own pages: home, language switch, error pages that leak nothing."""

from __future__ import annotations

from tests.web import csrf


def test_home_page_without_a_journal_still_renders(testapp):
    res = testapp.get("/")
    assert res.status_int == 200
    assert 'href="#main"' in res.text  # skip link
    assert "<main" in res.text


def test_unknown_page_is_a_plain_404(testapp):
    res = testapp.get("/no/such/page", status=404)
    assert "Page not found" in res.text
    assert "Traceback" not in res.text


def test_language_switch_requires_csrf(testapp):
    testapp.post("/language", {"language": "zh"}, status=400)


def test_language_switch_sets_chinese(testapp):
    home = testapp.get("/")
    token = csrf(home)
    res = testapp.post("/language", {"language": "zh", "csrf_token": token, "next": "/"})
    assert res.status_int == 302
    assert "fde_lang=zh" in res.headers["Set-Cookie"]
    page = testapp.get("/")
    assert 'lang="zh-Hans"' in page.text
    assert "首页" in page.text  # the navigation, translated


def test_language_switch_refuses_offsite_redirect(testapp):
    home = testapp.get("/")
    token = csrf(home)
    res = testapp.post(
        "/language", {"language": "en", "csrf_token": token, "next": "//evil.example.org/"}
    )
    assert res.headers["Location"].endswith("/")
    assert "evil" not in res.headers["Location"]


def test_home_page_lists_published_articles_only(wsgi_app, testapp):
    import datetime as dt

    from frontiers_de.articles.models import ArticleState
    from tests.articles_factories import ArticleFactory
    from tests.factories import app_session, make_journal

    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        ArticleFactory(
            db=db,
            journal=journal,
            doi="10.5555/fde.2026.0042",
            title="Learning analytics in rural schools",
            state=ArticleState.PUBLISHED,
            published_at=dt.datetime(2026, 5, 4, tzinfo=dt.UTC),
        )
        ArticleFactory(
            db=db, journal=journal, doi="10.5555/fde.2026.0043", title="Still in production"
        )
    page = testapp.get("/")
    link = page.html.find("a", string="Learning analytics in rural schools")
    assert link is not None and link["href"].endswith("/articles/10.5555/fde.2026.0042")
    assert "Still in production" not in page.text
    assert "2026-05-04" in page.text
