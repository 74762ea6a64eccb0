"""What Crossref does when it hears of an article or an issue, through the events the
articles domain announces (the subscribers of ``crossref/subscribers.py``, as the app and
a process without one register them)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from frontiers_de import events
from frontiers_de.articles.events import ArticleJatsChanged, ArticlePublished, IssuePublished
from frontiers_de.articles.models import ArticleState
from frontiers_de.crossref import services
from frontiers_de.crossref.models import DoiDeposit, DoiState
from frontiers_de.xml.safe import parse_xml
from tests.conftest import SCHEMA_DIR
from tests.crossref.world import make_issue, make_world, published_paper

SETTINGS = {"fde.schema_dir": str(SCHEMA_DIR), "fde.base_url": "https://fde.example.org"}


@pytest.fixture
def world(dbsession):
    return make_world(dbsession)


def _deposits(db) -> list[DoiDeposit]:
    return list(db.scalars(select(DoiDeposit)))


def _retitled(jats: str, title: str) -> str:
    return re.sub(
        r"<article-title>.*?</article-title>",
        f"<article-title>{title}</article-title>",
        jats,
        count=1,
        flags=re.S,
    )


def _jats_changed(db, article, previous: str, **kw) -> None:
    tree = parse_xml(article.jats_xml.encode("utf-8"))
    events.notify(
        ArticleJatsChanged(
            db=db,
            settings=SETTINGS,
            article=article,
            user_id=None,
            previous=previous,
            tree=tree,
            **kw,
        )
    )


def test_an_article_published_on_its_own_queues_its_deposit(dbsession, world):
    article = published_paper(dbsession, world, "On its own")

    events.notify(ArticlePublished(db=dbsession, article=article, actor=world.producer))

    [deposit] = _deposits(dbsession)
    assert article.doi in deposit.xml
    assert services.record_of(dbsession, article).state is DoiState.QUEUED


def test_an_issue_published_queues_one_deposit_for_all_its_articles(dbsession, world):
    issue = make_issue(dbsession, world)
    early = published_paper(dbsession, world, "Published early", issue=issue)
    first = published_paper(dbsession, world, "First", issue=issue)
    second = published_paper(dbsession, world, "Second", issue=issue)
    event = IssuePublished(
        db=dbsession, settings=SETTINGS, issue=issue, articles=(first, second), actor=None
    )

    events.notify(event)

    [deposit] = _deposits(dbsession)
    for article in (early, first, second):  # the one published before goes with them
        assert article.doi in deposit.xml
    assert [(level, str(m)) for level, m in event.notices] == [
        ("info", "One Crossref deposit is queued for the issue.")
    ]


def test_a_jats_change_of_a_published_article_marks_its_registered_doi_changed(dbsession, world):
    article = published_paper(dbsession, world, "Placed later")
    record = services.record_of(dbsession, article)
    record.state = DoiState.REGISTERED
    previous = article.jats_xml
    article.jats_xml = _retitled(previous, "Placed later, in an issue")

    # Placing a published article keeps the PDF readers have; its metadata changed.
    _jats_changed(dbsession, article, previous, keep_pdf=True)

    assert record.state is DoiState.STALE
    assert _deposits(dbsession) == []


def test_the_publication_date_written_on_publishing_is_no_metadata_change(dbsession, world):
    article = published_paper(dbsession, world, "Being published")
    article.state = ArticleState.IN_PRODUCTION
    record = services.record_of(dbsession, article)
    record.state = DoiState.REGISTERED  # say, registered once before (a stand-in state)
    previous = article.jats_xml
    article.jats_xml = _retitled(previous, "Being published today")

    _jats_changed(dbsession, article, previous, keep_pdf=True)

    assert record.state is DoiState.REGISTERED


def test_the_same_jats_stored_again_changes_nothing(dbsession, world):
    article = published_paper(dbsession, world, "Unchanged")
    record = services.record_of(dbsession, article)
    record.state = DoiState.REGISTERED

    _jats_changed(dbsession, article, article.jats_xml, keep_pdf=True)

    assert record.state is DoiState.REGISTERED
