"""The workflow hooks: DOI assignment on ``decide:accept``, and the article's deposit on
``publish``, queued at the end of the publishing transaction so that what the production
pages change after calling the workflow (publication date in the JATS, article state) is in
the deposit.

This whole module goes when domain events replace the workflow hooks (Crossref's
subscribers then call :func:`~frontiers_de.crossref.services.assignment.on_accept` and
:func:`~frontiers_de.crossref.services.queueing.queue_deposit` themselves).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.crossref.services.assignment import on_accept
from frontiers_de.crossref.services.queueing import queue_deposit
from frontiers_de.editorial import workflow
from frontiers_de.submissions.models import Submission

log = logging.getLogger(__name__)


_HELD = "crossref.publish_deposits_held"


@contextmanager
def publish_deposits_held(db: Session) -> Iterator[None]:
    """Within this block, publishing an article queues no deposit of its own: the caller
    publishes several together (an issue) and queues one deposit for them all."""
    db.info[_HELD] = db.info.get(_HELD, 0) + 1
    try:
        yield
    finally:
        db.info[_HELD] -= 1
        if not db.info[_HELD]:
            del db.info[_HELD]


def on_publish(db: Session, submission: Submission, actor: User | None) -> None:
    """Workflow hook ``publish``: queue the article's deposit. With a transaction manager
    (requests, tasks) the deposit is built just before the commit, from the article as the
    publishing transaction leaves it; publication never waits for Crossref. Inside
    :func:`publish_deposits_held` the caller queues the deposit instead."""
    if db.info.get(_HELD):
        return
    actor_id = actor.id if actor is not None else None
    submission_id = submission.id

    def queue() -> None:
        article = db.scalar(select(Article).where(Article.submission_id == submission_id))
        if article is None:
            log.warning("submission %s published without an article: no deposit", submission_id)
            return
        who = db.get(User, actor_id) if actor_id is not None else None
        queue_deposit(db, [article], who)

    tm = db.info.get("tm")
    if tm is None:
        queue()
    else:
        tm.get().addBeforeCommitHook(queue)


def register_hooks() -> None:
    """Register the workflow hooks (idempotent: the workflow keeps each hook once)."""
    workflow.on_transition("decide:accept", on_accept)
    workflow.on_transition("publish", on_publish)
