"""Articles and their placement (frontiers_de/articles): ``VolumeFactory``,
``IssueFactory(db=db, journal=journal, volume=volume)`` (a planned issue unless ``state``
says otherwise) and ``ArticleFactory(db=db, journal=journal, submission=s)`` (an article in
production unless ``state`` says otherwise; ``issue`` places it). The reader's published
articles with JATS and a search entry are ``tests.publishing_factories.publish_article``."""

from __future__ import annotations

import factory

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.db.meta import utcnow
from tests.factories import ModelFactory


class VolumeFactory(ModelFactory):
    class Meta:
        model = Volume

    class Params:
        journal = None

    journal_id = factory.LazyAttribute(lambda o: o.journal.id)
    number = factory.Sequence(lambda n: n + 1)
    year = 2026


class IssueFactory(ModelFactory):
    class Meta:
        model = Issue

    class Params:
        journal = None
        volume = None

    journal_id = factory.LazyAttribute(lambda o: o.journal.id)
    volume_id = factory.LazyAttribute(lambda o: o.volume.id)
    number = "1"
    year = factory.LazyAttribute(lambda o: o.volume.year)
    state = IssueState.PLANNED
    published_at = factory.LazyAttribute(
        lambda o: utcnow() if o.state is IssueState.PUBLISHED else None
    )


class ArticleFactory(ModelFactory):
    class Meta:
        model = Article

    class Params:
        journal = None
        submission = None
        issue = None

    journal_id = factory.LazyAttribute(lambda o: o.journal.id)
    submission_id = factory.LazyAttribute(
        lambda o: o.submission.id if o.submission is not None else None
    )
    issue_id = factory.LazyAttribute(lambda o: o.issue.id if o.issue is not None else None)
    title = factory.LazyAttribute(
        lambda o: o.submission.title if o.submission is not None else "An article"
    )
    state = ArticleState.IN_PRODUCTION
    published_at = factory.LazyAttribute(
        lambda o: utcnow() if o.state is ArticleState.PUBLISHED else None
    )
