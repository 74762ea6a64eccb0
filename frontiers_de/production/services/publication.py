"""Whether an article may be published, and publishing it (the writes are
:func:`frontiers_de.articles.publication.publish_article`'s)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.articles.publication import publish_article
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal
from frontiers_de.production.services.conversion import check_jats
from frontiers_de.production.services.errors import PublishRefused
from frontiers_de.production.services.proofs import approved_proof
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission


def publish_problems(
    db: Session, storage: FileStorage, article: Article, settings: Mapping[str, Any]
) -> list[TranslationString]:
    """Why the article cannot be published now (empty when it can). The JATS is checked
    afresh: a stored result could be older than the JATS."""
    problems: list[TranslationString] = []
    if not article.jats_xml:
        problems.append(_("There is no JATS yet: convert the manuscript first."))
    else:
        summary = check_jats(article, db.get(Journal, article.journal_id), settings)
        if summary["errors"]:
            problems.append(
                _(
                    "The JATS does not pass the checks: ${count} error(s). Fix them and "
                    "check again.",
                    mapping={"count": summary["errors"]},
                )
            )
    if article.jats_xml:
        from frontiers_de.production.assets import missing_assets

        missing = missing_assets(db, article)
        if missing:
            # Readers would see broken images, and the PDF has placeholders.
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            problems.append(
                _(
                    "${count} file(s) that the JATS names are missing (${names}): upload "
                    "them under Figures and files.",
                    mapping={"count": len(missing), "names": shown},
                )
            )
    if not article.pdf_sha256:
        problems.append(_("There is no PDF of the current JATS: typeset the article."))
    elif approved_proof(db, article) is None:
        problems.append(_("The author has not approved a proof of the current PDF: send a proof."))
    elif not storage.exists(article.pdf_sha256):
        problems.append(_("The approved PDF is missing from the file storage."))
    return problems


def publish(
    db: Session,
    storage: FileStorage,
    article: Article,
    actor: User | None,
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> Article:
    """Publish the article (:func:`~frontiers_de.articles.publication.publish_article`:
    the workflow's "publish", the publication date, Crossref's deposit once it hears of it)
    once the JATS passes the checks and the author approved the PDF; raises
    :class:`PublishRefused` with every reason otherwise."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise PublishRefused([_("This article has no submission to keep its files with.")])
    if not workflow.may(submission, "publish", actor):
        raise PublishRefused([_("The article cannot be published from its state.")])
    problems = publish_problems(db, storage, article, settings)
    if problems:
        raise PublishRefused(problems)
    return publish_article(db, storage, article, actor, settings, now=now)
