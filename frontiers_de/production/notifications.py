"""Production's emails, sent by subscribers of what happened (see :mod:`frontiers_de.events`):
the proof link to the corresponding author when a proof goes out
(:class:`~frontiers_de.production.events.ProofSent`), the author's answer to the production
editors (:class:`~frontiers_de.production.events.ProofAnswered`), the note that an article's
placement changed while the author's approval (or open proof) stands
(:class:`~frontiers_de.articles.events.ArticleJatsChanged`, placement only), and the news
of publication, with the article's page and DOI, to the corresponding author
(:class:`~frontiers_de.articles.events.ArticlePublished`, and ``IssuePublished`` for each
article an issue published). Links are built
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

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.articles.events import ArticleJatsChanged, ArticlePublished, IssuePublished
from frontiers_de.articles.models import Article, ArticleState, Issue, Volume
from frontiers_de.articles.placement import content_sha256, placement_of
from frontiers_de.deadlines.events import DeadlineReminder
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.journals.models import Journal
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import deliver_after_commit, queue_email, send_email, settings_of
from frontiers_de.production.events import ProofAnswered, ProofSent
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.services import (
    ProductionError,
    corresponding_author,
    proof_covers,
    proofs_in,
)
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.security.roles import Role
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
    hand, else by the outbox sweep), or None when there is no one to tell (or the author
    chose not to have these at once: ``mail.preferences``)."""
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
    row = send_email(
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
    if row is None:
        return None  # the author turned these notices off, or has them in a digest
    workflow.audit(db, submission, None, "placement_told", proof=proof.number, to=email)
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


def production_editors(db: Session, submission: Submission, proof: Proof) -> list[User]:
    """Whom an author's answer to ``proof`` concerns: the journal's production editors, and
    whoever sent the proof (an editor-in-chief may), each once."""
    people = list(
        db.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.journal_id == submission.journal_id,
                RoleAssignment.role == Role.PRODUCTION_EDITOR,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )
    sent_by = db.scalar(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.submission_id == submission.id,
            AuditEvent.action == "proof_sent",
            AuditEvent.actor_id.is_not(None),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    sender = db.get(User, sent_by) if sent_by else None
    if sender is not None and sender.is_active and all(p.id != sender.id for p in people):
        people.append(sender)
    return people


def send_proof_answer(event: ProofAnswered) -> list[Any]:
    """Tell the production editors the author's answer to a proof (approved, or the
    corrections asked), with a link to the article's production page."""
    db, settings, article, proof = event.db, settings_of(event), event.article, event.proof
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        return []
    try:
        _email, author, _lang = corresponding_author(db, submission)
    except ProductionError:
        author = ""
    journal = db.get(Journal, article.journal_id)
    answered = proof.responded_at or dt.datetime.now(dt.UTC)
    return [
        send_email(
            db,
            settings,
            "production_proof_answered",
            [editor.email],
            {
                "lang": editor.preferred_language,
                "name": editor.display_name,
                "author": author,
                "title": article.title,
                "submission": submission.id,
                "number": proof.number,
                "approved": event.approved,
                "corrections": proof.corrections,
                "answered": answered.strftime("%Y-%m-%d %H:%M UTC"),
                "link": email_url(settings, "production.article", article_id=article.id),
            },
            journal,
        )
        for editor in production_editors(db, submission, proof)
    ]


def tell_author_of_publication(
    db: Session, settings: Mapping[str, Any], article: Article, issue: Issue | None = None
) -> Any:
    """Tell the corresponding author (else the submitter) that ``article`` is published:
    its page and its DOI."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None or not article.doi:
        return None
    try:
        email, name, lang = corresponding_author(db, submission)
    except ProductionError:
        return None
    recipient = db.scalar(select(User).where(User.email_key == email.strip().casefold()))
    if recipient is not None:
        lang = recipient.preferred_language
    published = article.published_at or dt.datetime.now(dt.UTC)
    return send_email(
        db,
        settings,
        "production_published",
        [email],
        {
            "lang": lang,
            "name": name,
            "title": article.title,
            "doi": article.doi,
            "doi_link": f"https://doi.org/{article.doi}",
            **_volume_and_issue(db, issue or _issue_of(db, article)),
            "published": published.date().isoformat(),
            "link": email_url(settings, "publishing.article", doi=article.doi),
        },
        db.get(Journal, article.journal_id),
    )


def _issue_of(db: Session, article: Article) -> Issue | None:
    return db.get(Issue, article.issue_id) if article.issue_id else None


def _volume_and_issue(db: Session, issue: Issue | None) -> dict[str, str]:
    """The volume and issue numbers an article was published in ("" when in none)."""
    volume = db.get(Volume, issue.volume_id) if issue is not None else None
    if issue is None or volume is None:
        return {"volume": "", "issue": ""}
    return {"volume": str(volume.number), "issue": str(issue.number)}


def article_published(event: ArticlePublished) -> None:
    tell_author_of_publication(event.db, settings_of(event), event.article)


def issue_published(event: IssuePublished) -> None:
    for article in event.articles:
        tell_author_of_publication(event.db, settings_of(event), article, event.issue)


def includeme(config: Configurator) -> None:
    config.add_subscriber(send_proof_link, ProofSent)
    config.add_subscriber(tell_of_new_placement, ArticleJatsChanged)
    config.add_subscriber(send_proof_answer, ProofAnswered)
    config.add_subscriber(article_published, ArticlePublished)
    config.add_subscriber(issue_published, IssuePublished)
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
