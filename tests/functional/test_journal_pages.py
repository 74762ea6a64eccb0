"""The journal's own pages through the web: the home page with the current issue, its cover
and the announcements; /about with the admin's pages in each language; the editorial board;
the editors' announcements and their feed; the production editor's cover upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from lxml import etree
from PIL import Image

from frontiers_de.articles.models import IssueState
from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.publishing_factories import make_issue, publish_article
from tests.web import client_for, csrf


@pytest.fixture
def world(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        make_user(
            db,
            "chief@example.org",
            roles=[Role.EDITOR_IN_CHIEF],
            journal=journal,
            given_name="Ada",
            family_name="Chief",
            affiliation="Open University",
        )
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        make_user(db, "reader@example.org")
        issue = make_issue(db, journal, 1, "2", title="Learning at home")
        publish_article(db, journal, "10.5555/fde.2026.0101", title="Tutors online", issue=issue)
        publish_article(db, journal, "10.5555/fde.2026.0102", title="Outside any issue")
        planned = make_issue(db, journal, 1, "3", state=IssueState.PLANNED)
        return {"issue": issue.id, "planned": planned.id}


def _png(size=(800, 1100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def test_home_page_shows_the_current_issue_news_and_policies(wsgi_app, world):
    reader = client_for(wsgi_app)
    home = reader.get("/")
    current = home.html.select_one(".current-issue")
    assert "Volume 1, Issue 2" in current.text and "Tutors online" in current.text
    assert "Outside any issue" in home.html.select_one("#latest-heading").parent.text
    assert "There are no announcements yet." in home.text
    assert "Frontiers of Digital Education publishes research" in home.text  # aims, default
    footer = home.html.select_one(".footer-links")
    for words in ("Editorial board", "Author guidelines", "Peer-review policy", "Fees"):
        assert words in footer.text
    about = reader.get("/about")
    assert len(about.html.select(".about-index li")) == 11  # board, nine pages, news
    fees = reader.get("/about/fees")
    assert "There are no fees." in fees.text
    reader.set_cookie("fde_lang", "zh")
    assert "本刊不收取任何费用" in reader.get("/about/fees").text
    reader.get("/about/does-not-exist", status=404)


def test_the_admin_writes_a_page_in_one_language_and_restores_it(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    listing = admin.get("/admin/pages")
    assert "/admin/pages/fees/zh" in listing.text
    form = admin.get("/admin/pages/fees/en")
    assert "There are no fees." in form.text  # the default, to start from
    token = csrf(form)
    preview = admin.post(
        "/admin/pages/fees/en",
        {
            "csrf_token": token,
            "title": "Fees",
            "body": "## None\n\n<b>bold</b>",
            "action": "preview",
        },
    )
    assert "<h2>None</h2>" in preview.text and "&lt;b&gt;bold&lt;/b&gt;" in preview.text
    assert "There are no fees." in client_for(wsgi_app).get("/about/fees").text  # not saved
    admin.post(
        "/admin/pages/fees/en",
        {"csrf_token": token, "title": "Charges", "body": "Nothing at all.\n\n- really"},
        status=302,
    )
    page = client_for(wsgi_app).get("/about/fees")
    assert "Charges" in page.html.select_one("h1").text and "<li>really</li>" in page.text
    refused = admin.post(
        "/admin/pages/fees/en", {"csrf_token": token, "title": "", "body": "x"}, status=400
    )
    assert refused.html.select_one("title").text.startswith("Error:")
    assert "Give the page a title." in refused.text
    assert "Charges" in client_for(wsgi_app).get("/about/fees").text  # kept
    # Chinese readers still see the default in their language.
    zh = client_for(wsgi_app)
    zh.set_cookie("fde_lang", "zh")
    assert "本刊不收取任何费用" in zh.get("/about/fees").text
    admin.post("/admin/pages/fees/en", {"csrf_token": token, "action": "restore"}, status=302)
    assert "There are no fees." in client_for(wsgi_app).get("/about/fees").text


def test_without_the_token_nothing_is_saved(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    admin.post("/admin/pages/fees/en", {"title": "Hacked", "body": "x"}, status=400)
    assert "Hacked" not in client_for(wsgi_app).get("/about/fees").text


def test_the_editorial_board_lists_editors_without_addresses(wsgi_app, world):
    page = client_for(wsgi_app).get("/about/editorial-board")
    assert "Ada Chief" in page.text and "Open University" in page.text
    assert "@example.org" not in page.text


def test_editors_post_schedule_and_withdraw_announcements(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    form = chief.get("/editorial/news")
    token = csrf(form)
    refused = chief.post(
        "/editorial/news",
        {"csrf_token": token, "title": "", "body": "x", "language": "en"},
        status=400,
    )
    assert "Give the announcement a title." in refused.text
    posted = chief.post(
        "/editorial/news",
        {
            "csrf_token": token,
            "title": "Call for papers",
            "body": "Send **them**.",
            "language": "en",
            "published_on": "",
        },
        status=302,
    )
    post_url = posted.headers["Location"].replace("http://localhost", "")
    post_id = post_url.rsplit("/", 1)[1]
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    chief.post(
        "/editorial/news",
        {
            "csrf_token": token,
            "title": "Next year",
            "body": "Soon.",
            "language": "en",
            "published_on": later,
        },
        status=302,
    )
    bad_date = chief.post(
        "/editorial/news",
        {
            "csrf_token": token,
            "title": "T",
            "body": "B",
            "language": "en",
            "published_on": "31/01/2027",
        },
        status=400,
    )
    assert "Enter a date like 2027-01-31." in bad_date.text
    reader = client_for(wsgi_app)
    home = reader.get("/")
    assert "Call for papers" in home.text and "Next year" not in home.text
    assert "<strong>them</strong>" in reader.get(f"/news/{post_id}").text
    feed = etree.fromstring(reader.get("/news/feed.atom").body)
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Call for papers" in titles and "Next year" not in titles
    chief.post(post_url, {"csrf_token": token, "action": "withdraw"}, status=302)
    reader.get(f"/news/{post_id}", status=404)
    assert "Call for papers" not in reader.get("/news").text
    assert "Withdrawn" in chief.get("/editorial/news").text


def test_production_uploads_a_cover_that_readers_see(wsgi_app, world):
    prod = client_for(wsgi_app, "prod@example.org")
    page = prod.get(f"/production/issues/{world['issue']}")
    token = csrf(page)
    bad = prod.post(
        f"/production/issues/{world['issue']}/cover",
        {"csrf_token": token},
        upload_files=[("cover", "cover.svg", b"<svg><script>alert(1)</script></svg>")],
        status=302,
    ).follow()
    assert "This file is not an image that can be read." in bad.text
    prod.post(
        f"/production/issues/{world['issue']}/cover",
        {"csrf_token": token},
        upload_files=[("cover", "cover.png", _png())],
        status=302,
    )
    reader = client_for(wsgi_app)
    image = reader.get("/issues/1/2/cover")
    assert image.content_type == "image/jpeg" and image.headers["ETag"]
    with Image.open(io.BytesIO(image.body)) as shown:
        assert shown.size == (800, 1100)
    assert "/issues/1/2/cover" in reader.get("/").text
    # A planned issue readers cannot open shows no cover either.
    prod.post(
        f"/production/issues/{world['planned']}/cover",
        {"csrf_token": token},
        upload_files=[("cover", "cover.png", _png())],
        status=302,
    )
    reader.get("/issues/1/3/cover", status=404)
    prod.post(
        f"/production/issues/{world['issue']}/cover",
        {"csrf_token": token, "action": "remove"},
        status=302,
    )
    reader.get("/issues/1/2/cover", status=404)


def test_the_sitemap_lists_the_journals_pages_and_posts(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    token = csrf(chief.get("/editorial/news"))
    chief.post(
        "/editorial/news",
        {"csrf_token": token, "title": "News", "body": "Text.", "language": "en"},
        status=302,
    )
    body = client_for(wsgi_app).get("/sitemap.xml").body
    locs = {
        loc.text.replace("http://localhost", "")
        for loc in etree.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert {"/about", "/about/editorial-board", "/about/fees", "/news"} <= locs
    assert any(loc.startswith("/news/") and loc[6:].isdigit() for loc in locs)
