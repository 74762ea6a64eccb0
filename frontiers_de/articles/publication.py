"""Publishing an article or an issue: the writes (the article's state and date, the
publication date in its JATS, the final PDF on record, the workflow's ``publish``).

Whether an article may be published (its JATS passes the checks, the author approved the
PDF) is production's to say (``production.services.publish``, ``production.issues``), which
asks first and then calls these. What follows publication is announced:
:class:`~frontiers_de.articles.events.ArticlePublished` for an article on its own,
:class:`~frontiers_de.articles.events.IssuePublished` once for an issue and its articles
(Crossref queues one deposit, search indexes them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.articles.events import ArticlePublished, IssuePublished
from frontiers_de.articles.issues import PUBLIC_STATES, IssueError, articles_in, require_planned
from frontiers_de.articles.jats import serialise_jats, store_jats
from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState
from frontiers_de.articles.placement import stamp_publication_date
from frontiers_de.articles.services import ArticleError, pdf_filename
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.storage import FileNotStored, FileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.xml.safe import parse_xml

PDF_MEDIA_TYPE = "application/pdf"


def publish_article(
    db: Session,
    storage: FileStorage,
    article: Article,
    actor: User | None,
    settings: Mapping[str, Any] | None,
    *,
    now: dt.datetime | None = None,
    announce: bool = True,
) -> Article:
    """Publish ``article`` (production has checked that it may be): its JATS gets the
    publication date (the approved PDF stays its PDF), its state and date are set, the
    workflow moves its submission to ``publish``, the PDF is kept as the final PDF, and
    :class:`ArticlePublished` is announced unless the caller publishes it as part of an
    issue (``announce=False``). Raises ``TransitionNotAllowed`` when the workflow refuses,
    ``FileNotStored`` when the PDF is gone."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise ArticleError(_("This article has no submission to keep its files with."))
    now = now or utcnow()
    assert article.jats_xml is not None and article.pdf_sha256 is not None
    # The JATS gets its publication date before those who hear of the publication (the
    # Crossref deposit) read it; the approved PDF stays the article's PDF.
    tree = parse_xml(article.jats_xml.encode("utf-8"))
    if stamp_publication_date(tree, now.date()):
        store_jats(
            db,
            storage,
            article,
            serialise_jats(tree),
            filename=f"{pdf_filename(article).removesuffix('.pdf')}.published.xml",
            user_id=actor.id if actor else None,
            tree=tree,
            now=now,
            keep_pdf=True,
            settings=settings,
        )
    article.state = ArticleState.PUBLISHED
    article.published_at = now
    workflow.apply(db, submission, "publish", actor, now=now)
    db.add(
        ManuscriptFile(
            submission_id=submission.id,
            round_number=0,
            kind=FileKind.FINAL_PDF,
            filename=pdf_filename(article),
            media_type=PDF_MEDIA_TYPE,
            size=len(storage.get(article.pdf_sha256)),
            sha256=article.pdf_sha256,
            uploaded_by_id=actor.id if actor else None,
        )
    )
    db.flush()
    if announce:
        events.notify(ArticlePublished(db=db, settings=settings, article=article, actor=actor))
    return article


def require_publishable(db: Session, issue: Issue) -> list[Article]:
    """The issue's articles, once it is planned and holds some; else :class:`IssueError`."""
    require_planned(issue)
    articles = articles_in(db, issue)
    if not articles:
        raise IssueError(_("The issue has no articles yet: put articles into it first."))
    return articles


@dataclass
class PublishedIssue:
    """What :func:`publish_issue` did: the articles it published now, and what those who
    heard of it left to say (level, message: a deposit queued, an article not deposited)."""

    issue: Issue
    published: list[Article]
    notices: list[tuple[str, TranslationString]] = field(default_factory=list)


def publish_issue(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    actor: User | None,
    settings: Mapping[str, Any] | None,
    *,
    now: dt.datetime | None = None,
) -> PublishedIssue:
    """Publish every unpublished article of the issue and the issue itself, all at once
    (production has checked that each may be), then announce :class:`IssuePublished`.

    The articles are published inside one savepoint, so a failure part-way leaves none of
    them published (:class:`IssueError` names the article where it stopped)."""
    articles = require_publishable(db, issue)
    now = now or utcnow()
    published: list[Article] = []
    current: Article | None = None
    try:
        with db.begin_nested():
            for current in articles:
                if current.state in PUBLIC_STATES:
                    continue
                publish_article(db, storage, current, actor, settings, now=now, announce=False)
                published.append(current)
            issue.state = IssueState.PUBLISHED
            issue.published_at = now
    except (ArticleError, workflow.TransitionNotAllowed, FileNotStored) as exc:
        # The savepoint is rolled back: no article of the issue was published.
        reason = exc.message if isinstance(exc, ArticleError) else str(exc)
        text = reason.interpolate() if isinstance(reason, TranslationString) else reason
        title = current.title if current is not None else ""
        raise IssueError(
            _(
                "Publishing stopped at “${title}” (${reason}); nothing in the issue was published.",
                mapping={"title": title, "reason": text},
            )
        ) from exc
    db.flush()
    event = IssuePublished(
        db=db, settings=settings, issue=issue, articles=tuple(published), actor=actor
    )
    events.notify(event)
    return PublishedIssue(issue, published, list(event.notices))
