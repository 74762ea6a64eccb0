"""Production's emails, sent by subscribers of what happened (see :mod:`frontiers_de.events`):
the proof link to the corresponding author when a proof goes out
(:class:`~frontiers_de.production.events.ProofSent`), and the note that an article's
placement changed while the author's approval (or open proof) stands
(:class:`~frontiers_de.articles.events.ArticleJatsChanged`, placement only), and the
reminder of a proof not yet answered (:class:`~frontiers_de.deadlines.events.DeadlineReminder`,
with a fresh link: only a hash of the old token is kept). Links are built
by the route mapper under ``fde.base_url`` (:func:`~frontiers_de.mail.links.email_url`).

Each email is queued in the announcing transaction and delivered after the commit when a
transaction manager is at hand (requests, tasks), else by the outbox sweep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pyramid.config import Configurator
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.events import ArticleJatsChanged
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.articles.placement import content_sha256, placement_of
from frontiers_de.deadlines.events import DeadlineReminder
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import workflow
from frontiers_de.journals.models import Journal
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import deliver_after_commit, queue_email
from frontiers_de.production.events import ProofSent
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.services import (
    ProductionError,
    corresponding_author,
    proof_covers,
    proofs_in,
)
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.submissions.models import Submission


def _deliver_after_commit(db: Session, email_id: int) -> None:
    tm = db.info.get("tm")
    if tm is not None:
        deliver_after_commit(tm, email_id)


def send_proof_link(event: ProofSent) -> None:
    """Email the proof's link to whom it was sent (the link is usable ``proof_days``)."""
    settings = event.settings or {}
    days = ProductionSettings.of(settings).proof_days
    article, proof = event.article, event.proof
    row = queue_email(
        event.db,
        settings,
        "production_proof",
        [event.to],
        {
            "lang": event.lang,
            "name": event.name,
            "title": article.title,
            "number": proof.number,
            "link": email_url(settings, "production.proof", token=event.token),
            "days": days,
            "expires": (proof.sent_at + dt.timedelta(days=days)).date().isoformat(),
        },
        event.db.get(Journal, article.journal_id),
    )
    _deliver_after_commit(event.db, row.id)


def tell_author_of_placement(
    db: Session, settings: Mapping[str, Any], article: Article, proof: Proof
) -> int | None:
    """Email the corresponding author that the article's placement changed, the PDF is
    typeset again with it, and their approval of ``proof`` (or the open proof) stands.
    Returns the email's id (delivered after the commit when a transaction manager is at
    hand, else by the outbox sweep), or None when there is no one to tell."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        return None
    try:
        email, name, lang = corresponding_author(db, submission)
    except ProductionError:
        return None
    recipient = db.scalar(select(User).where(User.email_key == email.strip().casefold()))
    if recipient is not None:
        lang = recipient.preferred_language
    row = queue_email(
        db,
        settings,
        "production_placed",
        [email],
        {
            "lang": lang,
            "name": name,
            "title": article.title,
            "number": proof.number,
            "approved": proof.state == ProofState.APPROVED,
            **placement_of(db, article),
            "link": email_url(settings, "submissions.view", submission_id=submission.id),
        },
        db.get(Journal, article.journal_id),
    )
    workflow.audit(db, submission, None, "placement_told", proof=proof.number, to=email)
    _deliver_after_commit(db, row.id)
    return row.id


def tell_of_new_placement(event: ArticleJatsChanged) -> None:
    """The JATS of an article in production changed in its placement only: tell the author
    whose approval (or open proof) stands that the PDF now carries the placement."""
    article = event.article
    if (
        not event.changed
        or event.keep_pdf
        or article.state != ArticleState.IN_PRODUCTION
        or not event.placement_only
    ):
        return
    jats = article.jats_xml or ""
    content = content_sha256(jats)
    standing = [
        proof
        for proof in proofs_in(event.db, article, (ProofState.SENT, ProofState.APPROVED))
        if proof_covers(proof, jats, None, content)
    ]
    if standing:
        newest = max(standing, key=lambda p: p.number)
        tell_author_of_placement(event.db, event.settings or {}, article, newest)


def includeme(config: Configurator) -> None:
    config.add_subscriber(send_proof_link, ProofSent)
    config.add_subscriber(tell_of_new_placement, ArticleJatsChanged)
    config.add_subscriber(send_proof_reminder, DeadlineReminder)


def send_proof_reminder(event: DeadlineReminder) -> int | None:
    """Remind whom a proof went to that it waits for their answer, with a fresh link (the
    old one stops working; the proof still expires ``proof_days`` after it was sent)."""
    if event.deadline.kind != DeadlineKind.PROOF:
        return None
    db, settings = event.db, event.settings or {}
    proof = db.get(Proof, event.deadline.item_id)
    article = db.get(Article, proof.article_id) if proof else None
    submission = db.get(Submission, article.submission_id) if article else None
    if proof is None or article is None or submission is None:
        return None
    try:
        email, name, lang = corresponding_author(db, submission)
    except ProductionError:
        return None
    token = new_link_token()
    proof.token_hash = hash_link_token(token)
    row = queue_email(
        db,
        settings,
        "deadline_reminder",
        [email],
        {
            "lang": lang,
            "name": name,
            "kind": DeadlineKind.PROOF.value,
            "before": event.before,
            "title": article.title,
            "number": submission.id,
            "due": event.deadline.due_on.isoformat(),
            "days_overdue": event.deadline.days_overdue(event.now),
            "link": email_url(settings, "production.proof", token=token),
        },
        db.get(Journal, article.journal_id),
    )
    _deliver_after_commit(db, row.id)
    return row.id
