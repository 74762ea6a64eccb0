"""Search follows the articles (see :mod:`frontiers_de.events`): an article's search
document is written again when its JATS changes and when it is published (on its own or
with its issue; an article stored before search existed gets one then)."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.articles.events import ArticleJatsChanged, ArticlePublished, IssuePublished
from frontiers_de.publishing import search


def index_new_jats(event: ArticleJatsChanged) -> None:
    search.index_article(event.db, event.article, event.tree)


def index_published_article(event: ArticlePublished) -> None:
    search.index_article(event.db, event.article)


def index_published_issue(event: IssuePublished) -> None:
    for article in event.articles:
        search.index_article(event.db, article)


def includeme(config: Configurator) -> None:
    config.add_subscriber(index_new_jats, ArticleJatsChanged)
    config.add_subscriber(index_published_article, ArticlePublished)
    config.add_subscriber(index_published_issue, IssuePublished)
