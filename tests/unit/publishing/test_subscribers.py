"""Search follows the articles through the articles domain's events."""

from __future__ import annotations

import pytest

from frontiers_de import events
from frontiers_de.articles.events import ArticlePublished, IssuePublished
from frontiers_de.publishing.models import ArticleSearchDocument
from tests.crossref.world import make_issue, make_world, published_paper


@pytest.fixture
def world(dbsession):
    return make_world(dbsession)


def test_a_published_article_gets_its_search_document(dbsession, world):
    article = published_paper(dbsession, world, "Indexed on publication")
    assert dbsession.get(ArticleSearchDocument, article.id) is None

    events.notify(ArticlePublished(db=dbsession, article=article, actor=None))

    assert dbsession.get(ArticleSearchDocument, article.id) is not None


def test_the_articles_published_with_an_issue_get_theirs(dbsession, world):
    issue = make_issue(dbsession, world)
    first = published_paper(dbsession, world, "First", issue=issue)
    second = published_paper(dbsession, world, "Second", issue=issue)

    events.notify(IssuePublished(db=dbsession, issue=issue, articles=(first, second), actor=None))

    for article in (first, second):
        assert dbsession.get(ArticleSearchDocument, article.id) is not None
