"""What production does when an article's JATS changes (see :mod:`frontiers_de.events`).

On :class:`~frontiers_de.articles.events.ArticleJatsChanged`: the reader HTML is made again
from the new JATS (:func:`make_reader_html`; when it cannot be, the store is undone and the
caller hears why), and the PDF and the proofs follow the JATS (:func:`follow_new_jats`): the
PDF made from the previous JATS stops being current, a proof that no longer holds is
superseded, and an article whose placement alone changed is typeset again in the
background. The emails are :mod:`frontiers_de.production.notifications`'.
"""

from __future__ import annotations

from pyramid.config import Configurator
from sqlalchemy.orm import Session

from frontiers_de.articles.events import ArticleJatsChanged
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.articles.placement import content_sha256
from frontiers_de.jobs.services import create_job
from frontiers_de.production.models import ProofState
from frontiers_de.production.services import (
    JOB_TYPESET,
    TYPESET_TASK,
    job_busy,
    proof_covers,
    proofs_in,
    reader_html,
    rendering_version,
)
from frontiers_de.tasks import enqueue_after_commit


def make_reader_html(event: ArticleJatsChanged) -> None:
    """The article page's full text from the new JATS (raises ``ProductionError`` when the
    transform fails or takes too long: the previous JATS then stays)."""
    article = event.article
    article.html = reader_html(article, event.tree, event.warnings, event.settings)
    article.html_version = rendering_version()


def follow_new_jats(event: ArticleJatsChanged) -> None:
    """A changed JATS (unless the PDF is kept: publishing, a published article placed)
    makes the PDF no longer current and supersedes the proofs it no longer matches. A proof
    stands while the JATS differs from the one it showed by placement only
    (``placement_only_change``); any other change needs a new proof."""
    article = event.article
    if not event.changed or event.keep_pdf:
        return
    had_pdf = article.pdf_sha256 is not None
    article.pdf_sha256 = None
    article.pdf_pages = None
    text = article.jats_xml or ""
    open_proofs = proofs_in(event.db, article, (ProofState.SENT, ProofState.APPROVED))
    content = content_sha256(text) if open_proofs else None
    kept = []
    for proof in open_proofs:
        if proof_covers(proof, text, None, content):
            kept.append(proof)
        else:
            proof.state = ProofState.SUPERSEDED
    if (had_pdf or kept) and event.placement_only:
        _typeset_again(event.db, article, event.user_id)


def _typeset_again(db: Session, article: Article, user_id: int | None) -> None:
    """The JATS of a typeset article in production changed in its placement only: typeset
    it again in the background (after the commit)."""
    if article.state != ArticleState.IN_PRODUCTION:
        return
    tm = db.info.get("tm")
    if tm is not None and not job_busy(db, article, JOB_TYPESET):
        job = create_job(
            db,
            JOB_TYPESET,
            target_type=Article.__tablename__,
            target_id=article.id,
            journal_id=article.journal_id,
            created_by_id=user_id,
        )
        enqueue_after_commit(tm, TYPESET_TASK, job.id)


def includeme(config: Configurator) -> None:
    config.add_subscriber(make_reader_html, ArticleJatsChanged)
    config.add_subscriber(follow_new_jats, ArticleJatsChanged)
    config.include("frontiers_de.production.notifications")
