"""What Crossref does when a submission or an article moves (see :mod:`frontiers_de.events`).

- A submission accepted (:class:`~frontiers_de.editorial.events.SubmissionMoved`,
  ``decide:accept``): its DOI is assigned (a journal without a usable DOI prefix does not
  block the acceptance).
- An article published on its own (:class:`~frontiers_de.articles.events.ArticlePublished`):
  its deposit is queued. With a transaction manager (requests, tasks) the deposit is built
  just before the commit, from the article as the publishing transaction leaves it;
  publication never waits for Crossref.
- An issue published (:class:`~frontiers_de.articles.events.IssuePublished`): one deposit
  for every depositable article of the issue (those published before with it), at once; the
  person who published reads whether it is queued and which articles were left out.
- An article's JATS changed (:class:`~frontiers_de.articles.events.ArticleJatsChanged`): a
  DOI registered (or on its way) with the old metadata is marked stale for a new deposit;
  not for the publication date written on publishing itself, which the deposit carries.
"""

from __future__ import annotations

import logging

from pyramid.config import Configurator
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.articles.events import ArticleJatsChanged, ArticlePublished, IssuePublished
from frontiers_de.articles.issues import PUBLIC_STATES, articles_in
from frontiers_de.articles.models import Article
from frontiers_de.crossref import services
from frontiers_de.editorial.events import SubmissionMoved
from frontiers_de.i18n import _

log = logging.getLogger(__name__)


def assign_doi_on_acceptance(event: SubmissionMoved) -> None:
    if event.hook_name == "decide:accept":
        services.on_accept(event.db, event.submission, event.actor)


def deposit_published_article(event: ArticlePublished) -> None:
    db = event.db
    actor_id = event.actor.id if event.actor is not None else None
    article_id = event.article.id

    def queue() -> None:
        article = db.scalar(select(Article).where(Article.id == article_id))
        if article is None:
            log.warning("article %s is gone: no deposit", article_id)
            return
        who = db.get(User, actor_id) if actor_id is not None else None
        services.queue_deposit(db, [article], who)

    tm = db.info.get("tm")
    if tm is None:
        queue()
    else:
        tm.get().addBeforeCommitHook(queue)


def deposit_published_issue(event: IssuePublished) -> None:
    depositable = [a for a in articles_in(event.db, event.issue) if services.depositable(a)]
    if not depositable:
        return
    result = services.queue_deposit(event.db, depositable, event.actor, settings=event.settings)
    if result.deposit is not None:
        event.notices.append(("info", _("One Crossref deposit is queued for the issue.")))
    for reason in result.refused.values():
        message = _("Not sent to Crossref: ${reason}", mapping={"reason": reason})
        event.notices.append(("warning", message))


def mark_changed_metadata(event: ArticleJatsChanged) -> None:
    article = event.article
    if not event.changed or not article.doi:
        return
    if event.keep_pdf and article.state not in PUBLIC_STATES:
        return  # the publication date, written as the article is published
    services.mark_metadata_changed(event.db, article)


def includeme(config: Configurator) -> None:
    config.add_subscriber(assign_doi_on_acceptance, SubmissionMoved)
    config.add_subscriber(deposit_published_article, ArticlePublished)
    config.add_subscriber(deposit_published_issue, IssuePublished)
    config.add_subscriber(mark_changed_metadata, ArticleJatsChanged)
