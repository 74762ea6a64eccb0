"""Proofs: the current PDF sent to the corresponding author, their answer, and which
approval still holds for the article (a change of placement alone keeps it:
:func:`frontiers_de.articles.placement.placement_only_change`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.articles.placement import content_sha256
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.production.events import ProofAnswered, ProofSent
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.services.errors import ProductionError, ProofLinkError
from frontiers_de.production.services.metadata import EMAIL_SHAPE
from frontiers_de.production.services.versions import jats_sha256, require_in_production
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.storage import sha256_hex
from frontiers_de.submissions.models import Submission

# How long a proof link stays usable (the setting's default).
DEFAULT_PROOF_DAYS = ProductionSettings.proof_days
MAX_CORRECTIONS_LENGTH = 20000


def proof_covers(
    proof: Proof, jats: str | None, pdf_sha256: str | None = None, content: str | None = None
) -> bool:
    """Whether the author's answer to ``proof`` holds for an article with this JATS and
    this PDF (``None``: none yet): the PDF is the one the proof showed, or the JATS differs
    from the one the proof was typeset from by placement only (:func:`placement_only_change`,
    ``content`` being the new JATS's :func:`content_sha256` when known). A PDF typeset
    again from the very JATS the author saw is a new PDF and needs a new proof; so does a
    proof sent before its JATS was recorded, once its PDF is gone."""
    if pdf_sha256 is not None and proof.pdf_sha256 == pdf_sha256:
        return True
    if not jats or proof.content_sha256 is None or proof.jats_sha256 is None:
        return False
    if proof.jats_sha256 == sha256_hex(jats.encode("utf-8")):
        return False
    return proof.content_sha256 == (content or content_sha256(jats))


def proofs_in(db: Session, article: Article, states: tuple[ProofState, ...]) -> list[Proof]:
    """The article's proofs in one of ``states``."""
    return list(
        db.scalars(select(Proof).where(Proof.article_id == article.id, Proof.state.in_(states)))
    )


def proofs_of(db: Session, article: Article) -> list[Proof]:
    """Every proof of the article, newest first."""
    return list(
        db.scalars(
            select(Proof).where(Proof.article_id == article.id).order_by(Proof.number.desc())
        )
    )


def corresponding_author(db: Session, submission: Submission) -> tuple[str, str, str]:
    """(email, name, preferred language) of whom proofs go to: the corresponding author,
    else the submitting author."""
    for person in submission.contributors:
        if person.is_corresponding and person.email and EMAIL_SHAPE.match(person.email.strip()):
            user = db.get(User, person.user_id) if person.user_id else None
            name = " ".join(p for p in (person.given_name, person.family_name) if p)
            return person.email.strip(), name, user.preferred_language if user else "en"
    submitter = db.get(User, submission.submitter_id)
    if submitter is None:
        raise ProductionError(_("The submission has no corresponding author to send proofs to."))
    return submitter.email, submitter.display_name, submitter.preferred_language


@dataclass
class SentProof:
    proof: Proof
    token: str


def send_proof(
    db: Session,
    settings: Mapping[str, Any],
    article: Article,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
) -> SentProof:
    """Send the current PDF to the corresponding author as a proof: a new Proof row (the
    token only as its hash), older open or approved proofs superseded, and
    :class:`~frontiers_de.production.events.ProofSent` announced (the email with the link
    is queued by ``production/notifications.py`` in the same transaction)."""
    require_in_production(article)
    if not article.pdf_sha256:
        raise ProductionError(_("There is no current PDF: typeset the article first."))
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise ProductionError(_("This article has no submission to keep its files with."))
    email, name, lang = corresponding_author(db, submission)
    now = now or utcnow()
    for older in proofs_in(db, article, (ProofState.SENT, ProofState.APPROVED)):
        older.state = ProofState.SUPERSEDED
    number = max((p.number for p in proofs_of(db, article)), default=0) + 1
    token = new_link_token()
    recipient = db.scalar(select(User).where(User.email_key == email.strip().casefold()))
    if recipient is not None:
        lang = recipient.preferred_language
    proof = Proof(
        article_id=article.id,
        number=number,
        pdf_sha256=article.pdf_sha256,
        jats_sha256=jats_sha256(article),
        content_sha256=content_sha256(article.jats_xml) if article.jats_xml else None,
        state=ProofState.SENT,
        token_hash=hash_link_token(token),
        sent_to_id=recipient.id if recipient else None,
        sent_at=now,
    )
    db.add(proof)
    db.flush()
    workflow.audit(db, submission, actor, "proof_sent", proof=number, to=email)
    sent = ProofSent(
        db=db,
        settings=settings,
        article=article,
        proof=proof,
        token=token,
        to=email,
        name=name,
        lang=lang,
    )
    events.notify(sent)
    return SentProof(proof, token)


def proof_for_token(
    db: Session, token: str, settings: Mapping[str, Any], now: dt.datetime | None = None
) -> Proof:
    """The open proof a link stands for, or :class:`ProofLinkError` saying why not."""
    if not token or len(token) > 200 or not token.isascii():
        raise ProofLinkError("invalid")
    proof = db.scalar(select(Proof).where(Proof.token_hash == hash_link_token(token)))
    if proof is None:
        raise ProofLinkError("invalid")
    if proof.state == ProofState.SUPERSEDED:
        raise ProofLinkError("superseded")
    if proof.state != ProofState.SENT:
        raise ProofLinkError("used")
    days = ProductionSettings.of(settings).proof_days
    if (now or utcnow()) > proof.sent_at + dt.timedelta(days=days):
        raise ProofLinkError("expired")
    return proof


def answer_proof(
    db: Session,
    proof: Proof,
    *,
    approve: bool,
    corrections: str = "",
    now: dt.datetime | None = None,
) -> Proof:
    """The author's answer: approval (the article keeps this PDF) or a list of corrections;
    :class:`~frontiers_de.production.events.ProofAnswered` is announced (the production
    editors are emailed)."""
    if proof.state != ProofState.SENT:
        raise ProofLinkError("used")
    article = db.get(Article, proof.article_id)
    assert article is not None
    corrections = corrections.strip()
    if approve:
        proof.state = ProofState.APPROVED
        # The article keeps the PDF the author saw, unless it was typeset again since
        # with a new placement (the approval covers that PDF too: proof_covers).
        if proof.jats_sha256 is None or proof.jats_sha256 == jats_sha256(article):
            article.pdf_sha256 = proof.pdf_sha256
    else:
        if not corrections:
            raise ProductionError(_("Please list the corrections you need."))
        if len(corrections) > MAX_CORRECTIONS_LENGTH:
            raise ProductionError(
                _(
                    "The list of corrections is too long: at most ${max} characters.",
                    mapping={"max": MAX_CORRECTIONS_LENGTH},
                )
            )
        proof.state = ProofState.CORRECTIONS_REQUESTED
    proof.corrections = corrections
    proof.responded_at = now or utcnow()
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is not None:
        workflow.audit(
            db,
            submission,
            None,
            "proof_approved" if approve else "proof_corrections",
            proof=proof.number,
        )
    db.flush()
    events.notify(ProofAnswered(db=db, article=article, proof=proof))
    return proof


def approval_of_content(db: Session, article: Article) -> Proof | None:
    """The newest approved proof that still holds for the article (:func:`proof_covers`),
    whether or not there is a PDF of the current JATS yet (after a change of placement,
    the PDF is typeset again and the approval stands)."""
    content = content_sha256(article.jats_xml) if article.jats_xml else None
    for proof in db.scalars(
        select(Proof)
        .where(Proof.article_id == article.id, Proof.state == ProofState.APPROVED)
        .order_by(Proof.number.desc())
    ):
        if proof_covers(proof, article.jats_xml, article.pdf_sha256, content):
            return proof
    return None


def approved_proof(db: Session, article: Article) -> Proof | None:
    """The approved proof that covers the article's current PDF (typeset from the JATS the
    author saw, or from that JATS with a new placement), if there is one."""
    if not article.pdf_sha256:
        return None
    return approval_of_content(db, article)
