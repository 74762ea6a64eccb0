"""The production editor's volumes and issues through the web: create a volume and an issue
(bad input shown again with its message), put articles into the issue, order them, take one
out, and see the JATS and the public table of contents follow."""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.crossref.models import DoiDeposit, DoiRecord, DoiState
from frontiers_de.production import assets
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.security.link_tokens import hash_link_token
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import SubmissionState
from tests.articles_factories import ArticleFactory
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import image_bytes, make_accepted_submission, sample_metadata
from tests.publishing_factories import jats_with, make_issue, publish_article
from tests.web import csrf, sign_in

PASSWORD_FORM = "/login"


def in_production(db, storage, journal, doi: str, title: str, number: int) -> int:
    """An article in production with valid JATS and its figure, like one that was
    converted; returns its id."""
    author = make_user(db, roles=[Role.AUTHOR], journal=journal)
    metadata = sample_metadata()
    metadata["doi"] = doi
    metadata["title"] = title
    submission = make_accepted_submission(
        db, journal, author, state=SubmissionState.IN_PRODUCTION, metadata=metadata
    )
    submission.doi_number = number
    article = ArticleFactory(
        db=db,
        journal=journal,
        submission=submission,
        doi=doi,
        title=title,
        jats_xml=jats_with(doi, title=title),
    )
    assets.upload_asset(db, storage, article, "fig1.png", image_bytes("PNG"), None, {})
    return article.id


@pytest.fixture
def editor_app(testapp, wsgi_app, app_settings):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
    sign_in(testapp, "prod@example.org")
    return testapp, storage


def _post(client, page, action: str, status: int | str = 302, **fields):
    return client.post(action, {"csrf_token": csrf(page), **fields}, status=status)


def _jats_meta(client, article_id: int) -> etree._Element:
    body = client.get(f"/production/articles/{article_id}/jats").body
    return etree.fromstring(body).find("front/article-meta")


def _issue_id(wsgi_app) -> int:
    with app_session(wsgi_app) as db:
        return db.scalar(select(Issue.id))


def test_create_volume_and_issue_with_bad_input_shown_again(editor_app, wsgi_app):
    client, _storage = editor_app
    page = client.get("/production/issues")
    assert "There are no volumes yet" in page.text

    refused = _post(client, page, "/production/issues/volumes", 400, number="-2", year="2026")
    assert "A volume number must be 1 or more, not negative." in refused.text
    assert 'value="-2"' in refused.text  # what was typed is kept for correction
    refused = _post(client, page, "/production/issues/volumes", 400, number="two", year="2026")
    assert "Enter a whole number of digits only" in refused.text
    refused = _post(client, page, "/production/issues/volumes", 400, number="1", year="1492")
    assert "The year must be between 1900 and" in refused.text
    _post(client, page, "/production/issues/volumes", number="1", year="2026")
    refused = _post(client, page, "/production/issues/volumes", 400, number="1", year="2026")
    assert "Volume 1 exists already." in refused.text

    page = client.get("/production/issues")
    volume = page.html.find("select", {"name": "volume"}).find_all("option")[-1]["value"]
    res = _post(
        client,
        page,
        "/production/issues",
        volume=volume,
        number="1",
        year="2026",
        title="Learning at scale",
        description="Papers on learning at scale.",
    )
    issue_page = res.follow()
    assert "Volume 1, Issue 1" in issue_page.text and "Planned" in issue_page.text
    refused = _post(client, page, "/production/issues", 400, volume=volume, number="1", year="2026")
    assert "Volume 1 already has an issue 1." in refused.text
    listing = client.get("/production/issues")
    assert "Learning at scale" in listing.text and "0 (0 published)" in listing.text

    # Editing a planned issue; a bad year is shown with the values kept.
    issue_id = _issue_id(wsgi_app)
    edit = _post(client, issue_page, f"/production/issues/{issue_id}", 400, number="1", year="x")
    assert "Enter a whole number of digits only" in edit.text
    _post(
        client,
        issue_page,
        f"/production/issues/{issue_id}",
        number="1",
        year="2026",
        title="Learning at scale, revisited",
        description="",
    )
    with app_session(wsgi_app) as db:
        issue = db.get(Issue, issue_id)
        assert issue.title == "Learning at scale, revisited"
        assert db.scalar(select(Volume.year)) == 2026


def test_assign_order_and_remove_articles_and_the_toc_follows(editor_app, wsgi_app):
    client, storage = editor_app
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        first = in_production(db, storage, journal, "10.5555/fde.2026.0101", "Alpha study", 101)
        second = publish_article(
            db, journal, "10.5555/fde.2026.0102", title="Beta study", elocation_id="e0102"
        ).id
        third = publish_article(db, journal, "10.5555/fde.2026.0103", title="Gamma study").id
        retracted = publish_article(
            db, journal, "10.5555/fde.2026.0104", title="Delta", state=ArticleState.RETRACTED
        ).id
    page = client.get("/production/issues")
    _post(client, page, "/production/issues/volumes", number="4", year="2026")
    page = client.get("/production/issues")
    volume = page.html.find("select", {"name": "volume"}).find_all("option")[-1]["value"]
    _post(
        client,
        page,
        "/production/issues",
        volume=volume,
        number="2",
        year="2026",
        description="Papers gathered in one issue.",
    )
    issue_id = _issue_id(wsgi_app)
    issue_page = client.get(f"/production/issues/{issue_id}")
    offered = {
        o["value"] for o in issue_page.html.find("select", {"name": "article"}).find_all("option")
    }
    assert {str(first), str(second), str(third)} <= offered and str(retracted) not in offered

    base = f"/production/issues/{issue_id}/articles"
    for article_id in (first, second, third):
        _post(client, issue_page, base, article=str(article_id))
    refused = _post(client, issue_page, base, 400, article=str(retracted))
    assert "A retracted article cannot be put into an issue." in refused.text

    # The JATS of each carries the placement (the in-production one also its e-location).
    meta = _jats_meta(client, first)
    assert (meta.findtext("volume"), meta.findtext("issue")) == ("4", "2")
    assert meta.findtext("elocation-id") == "e0101"
    meta = _jats_meta(client, second)
    assert (meta.findtext("volume"), meta.findtext("issue")) == ("4", "2")
    with app_session(wsgi_app) as db:
        assert db.get(Article, first).pdf_sha256 is None  # typeset again for the placement

    # Order: Gamma to the top; the public table of contents follows.
    _post(client, issue_page, f"{base}/{third}/move", direction="up")
    _post(client, issue_page, f"{base}/{third}/move", direction="up")
    rows = client.get(f"/production/issues/{issue_id}").html.select("#issue-articles tbody tr")
    assert [r.find_all("td")[1].text.strip() for r in rows] == [
        "Gamma study",
        "Alpha study",
        "Beta study",
    ]
    toc = client.get("/issues/4/2")
    assert "Papers gathered in one issue." in toc.text  # the issue's description
    titles = [t.text.strip() for t in toc.html.select(".toc-title")]
    assert titles == ["Gamma study", "Beta study"]  # the published ones, in the issue's order

    # Out again: the JATS loses the placement, the rest close up.
    _post(client, issue_page, f"{base}/{first}/remove")
    meta = _jats_meta(client, first)
    assert meta.find("volume") is None and meta.find("issue") is None
    rows = client.get(f"/production/issues/{issue_id}").html.select("#issue-articles tbody tr")
    assert [(r.find_all("td")[0].text, r.find_all("td")[1].text.strip()) for r in rows] == [
        ("1", "Gamma study"),
        ("2", "Beta study"),
    ]
    listing = client.get("/production/issues")
    assert "2 (2 published)" in listing.text


def test_issue_pages_speak_chinese(editor_app):
    client, _storage = editor_app
    client.set_cookie("fde_lang", "zh")
    page = client.get("/production/issues")
    assert "卷与期" in page.text and "新建卷" in page.text
    refused = _post(client, page, "/production/issues/volumes", 400, number="-1", year="2026")
    assert "卷号必须为 1 或以上，不能为负数。" in refused.text


def _typeset_and_approve(wsgi_app, storage, article_id: int) -> None:
    """What typesetting and the author's approval leave (both have their own flow tests)."""
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        article.pdf_sha256 = storage.put(b"%PDF-1.7 " + article.doi.encode())
        db.add(
            Proof(
                article_id=article.id,
                pdf_sha256=article.pdf_sha256,
                state=ProofState.APPROVED,
                token_hash=hash_link_token(article.doi),
            )
        )


# Commits for real: a failed Crossref deposit is recorded in a transaction of its own while
# the job's transaction rolls back, which one connection's savepoints cannot reproduce.
@pytest.mark.commits
def test_from_new_volume_to_published_issue_with_one_deposit(editor_app, wsgi_app):
    client, storage = editor_app
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        journal.doi_prefix = "10.5555"
        first = in_production(db, storage, journal, "10.5555/fde.2026.0501", "Alpha study", 501)
        second = in_production(db, storage, journal, "10.5555/fde.2026.0502", "Beta study", 502)

    page = client.get("/production/issues")
    _post(client, page, "/production/issues/volumes", number="1", year="2026")
    page = client.get("/production/issues")
    volume = page.html.find("select", {"name": "volume"}).find_all("option")[-1]["value"]
    _post(client, page, "/production/issues", volume=volume, number="1", year="2026")
    issue_id = _issue_id(wsgi_app)
    issue_page = client.get(f"/production/issues/{issue_id}")
    base = f"/production/issues/{issue_id}/articles"
    _post(client, issue_page, base, article=str(first))
    _post(client, issue_page, base, article=str(second))
    _post(client, issue_page, f"{base}/{second}/move", direction="up")

    # Assignment made both PDFs stale: publishing the issue is refused, with each article's
    # problems listed, and nothing changes.
    refused = _post(client, issue_page, f"/production/issues/{issue_id}/publish", 400)
    problems = refused.html.find(id="publish-problems")
    assert problems.text.count("There is no PDF of the current JATS") == 2
    assert "Alpha study" in problems.text and "Beta study" in problems.text
    with app_session(wsgi_app) as db:
        assert db.get(Issue, issue_id).state == IssueState.PLANNED
        assert db.scalars(select(DoiDeposit)).all() == []

    for article_id in (first, second):
        _typeset_and_approve(wsgi_app, storage, article_id)
    done = _post(client, issue_page, f"/production/issues/{issue_id}/publish").follow()
    assert "The issue is published, with 2 article(s) published now." in done.text
    assert "One Crossref deposit is queued for the issue." in done.text
    assert "Published" in done.html.find(id="issue-state").text
    assert done.html.find(id="publish-form") is None and done.html.find(id="assign-form") is None

    toc = client.get("/issues/1/1")
    assert [t.text.strip() for t in toc.html.select(".toc-title")] == [
        "Beta study",
        "Alpha study",
    ]
    with app_session(wsgi_app) as db:
        deposits = db.scalars(select(DoiDeposit)).all()
        assert len(deposits) == 1
        assert "10.5555/fde.2026.0501" in deposits[0].xml
        assert "10.5555/fde.2026.0502" in deposits[0].xml
        states = {r.doi: r.state for r in db.scalars(select(DoiRecord))}
        assert states == {
            "10.5555/fde.2026.0501": DoiState.QUEUED,
            "10.5555/fde.2026.0502": DoiState.QUEUED,
        }
        assert {a.state for a in db.scalars(select(Article))} == {ArticleState.PUBLISHED}
    assert client.get("/production/dois/deposits").status_int == 200

    # A published issue is read-only.
    edit = _post(client, issue_page, f"/production/issues/{issue_id}", number="2", year="2026")
    assert "is published" in edit.follow().text


def test_publish_refusal_speaks_chinese(editor_app, wsgi_app):
    client, _storage = editor_app
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        issue_id = make_issue(db, journal, 1, "1", state=IssueState.PLANNED).id
    client.set_cookie("fde_lang", "zh")
    page = client.get(f"/production/issues/{issue_id}")
    assert "出版该期" in page.text and "本期尚无文章。" in page.text
    res = _post(client, page, f"/production/issues/{issue_id}/publish").follow()
    assert "该期还没有文章：请先加入文章。" in res.text
