"""The production queue, and starting production of an accepted submission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.editorial import workflow
from frontiers_de.submissions.models import Submission, SubmissionState


def production_queue(db: Session, journal_id: int) -> list[tuple[Submission, Article | None]]:
    """Accepted and in-production submissions of the journal, oldest acceptance first, each
    with its article once production has started."""
    rows = db.execute(
        select(Submission, Article)
        .outerjoin(Article, Article.submission_id == Submission.id)
        .where(
            Submission.journal_id == journal_id,
            Submission.state.in_([SubmissionState.ACCEPTED, SubmissionState.IN_PRODUCTION]),
        )
        .order_by(Submission.accepted_at, Submission.id)
    ).all()
    return [(s, a) for s, a in rows]


def recently_published(db: Session, journal_id: int, limit: int = 20) -> list[Article]:
    return list(
        db.scalars(
            select(Article)
            .where(Article.journal_id == journal_id, Article.state == ArticleState.PUBLISHED)
            .order_by(Article.published_at.desc())
            .limit(limit)
        )
    )


def article_of(db: Session, submission: Submission) -> Article | None:
    return db.scalar(select(Article).where(Article.submission_id == submission.id))


def start_production(
    db: Session,
    submission: Submission,
    actor: User | None,
    *,
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Article:
    """Workflow "start_production", and the article it creates (with the submission's DOI
    and title). Raises :class:`~frontiers_de.editorial.workflow.TransitionNotAllowed`.
    ``detail`` and ``now`` go to :func:`~frontiers_de.editorial.workflow.apply`."""
    workflow.apply(db, submission, "start_production", actor, detail=detail, now=now)
    article = article_of(db, submission)
    if article is None:
        article = Article(
            journal_id=submission.journal_id,
            submission_id=submission.id,
            doi=submission.doi,
            title=submission.title,
            state=ArticleState.IN_PRODUCTION,
        )
        db.add(article)
        db.flush()
    return article
