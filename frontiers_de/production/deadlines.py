"""Production's deadline, for the engine (:mod:`frontiers_de.deadlines.engine`): ``proof``
— a proof sent and not yet answered (approved or corrected) while the article is in
production. It is due the rule's period after it went out; no reminder once its link has
expired (``fde.production.proof_days``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.deadlines.engine import Deadline
from frontiers_de.deadlines.rules import DeadlineKind, RuleBook
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.settings import ProductionSettings

KINDS = (DeadlineKind.PROOF,)


def open_deadlines(
    db: Session,
    book: RuleBook,
    now: dt.datetime,
    journal_id: int | None,
    settings: Mapping[str, Any],
) -> list[Deadline]:
    statement = (
        select(Proof, Article, User)
        .join(Article, Article.id == Proof.article_id)
        .outerjoin(User, User.id == Proof.sent_to_id)
        .where(
            Proof.state == ProofState.SENT,
            Article.state == ArticleState.IN_PRODUCTION,
            Article.submission_id.is_not(None),
        )
        .order_by(Proof.id)
    )
    if journal_id is not None:
        statement = statement.where(Article.journal_id == journal_id)
    expires = dt.timedelta(days=ProductionSettings.of(settings).proof_days)
    found = []
    for proof, article, person in db.execute(statement):
        rule = book.rule(article.journal_id, DeadlineKind.PROOF)
        found.append(
            Deadline(
                DeadlineKind.PROOF,
                proof.id,
                article.journal_id,
                article.submission_id,
                article.title,
                proof.sent_at,
                proof.sent_at + dt.timedelta(days=rule.period_days),
                rule,
                person.display_name if person else "",
                proof.sent_at + expires,
            )
        )
    return found
