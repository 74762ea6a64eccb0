"""The events of articles and issues (see :mod:`frontiers_de.events`).

Announced by the articles domain where it writes: a new or changed JATS
(:class:`ArticleJatsChanged`), an article's publication (:class:`ArticlePublished`) and an
issue's (:class:`IssuePublished`, once for the issue and its articles). Crossref queues
deposits from them, search reindexes, mail tells the authors.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, Issue
from frontiers_de.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ArticleJatsChanged(DomainEvent):
    """``article``'s stored JATS changed (a conversion, an upload, a correction);
    ``placement_only`` when only its placement (volume, issue, pages, dates) changed."""

    article: Article
    actor: User | None
    placement_only: bool = False


@dataclass(frozen=True, kw_only=True)
class ArticlePublished(DomainEvent):
    """``article`` was published on its own (not as part of an issue)."""

    article: Article
    actor: User | None


@dataclass(frozen=True, kw_only=True)
class IssuePublished(DomainEvent):
    """``issue`` was published with ``articles`` (those it published now)."""

    issue: Issue
    articles: tuple[Article, ...]
    actor: User | None
