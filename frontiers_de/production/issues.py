"""Issues for the production editor: what placing an article will do to its PDF and its
proofs, and publishing an issue once every article in it may be published.

The records (volumes, issues, the articles' placement and publication) are written by the
articles domain (:mod:`frontiers_de.articles.issues`, :mod:`frontiers_de.articles.publication`);
what only production can say (the checks of each article's JATS, the author's approval of
its PDF) is said here, before the articles domain writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles import publication
from frontiers_de.articles.issues import PUBLIC_STATES, UNPUBLISHED_STATES, IssueError, articles_in
from frontiers_de.articles.models import Article, Issue
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.production import services
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission


class IssuePublishRefused(IssueError):
    """The issue cannot be published: ``problems`` lists, per article, every reason."""

    def __init__(self, problems: list[tuple[Article, list[TranslationString]]]) -> None:
        super().__init__(problems[0][1][0])
        self.problems = problems


def placement_effect(db: Session, article: Article) -> TranslationString:
    """What placing the article in an issue (or taking it out) will do to its PDF and its
    proofs, said before the change: the rule is ``articles.placement.placement_only_change``, which
    keeps the author's approval, and :func:`place_in_jats` acts on it."""
    if article.state in PUBLIC_STATES:
        return _(
            "Published: readers keep the PDF they have; the JATS, the article page and the "
            "Crossref record follow the placement."
        )
    if not article.jats_xml:
        return _("No JATS yet: the conversion will write the placement.")
    state = services.production_state(db, article)
    if state.proof.state in ("approved", "approved_placement", "waiting"):
        proof = services.proofs_of(db, article)[0]
        key = "approved" if state.proof.state != "waiting" else "waiting"
        messages = {
            "approved": _(
                "No new proof: the approval of proof ${number} stands; the PDF is typeset "
                "again with the placement and the author is told.",
                mapping={"number": proof.number},
            ),
            "waiting": _(
                "No new proof: proof ${number} stays open; the PDF is typeset again with the "
                "placement and the author is told.",
                mapping={"number": proof.number},
            ),
        }
        return messages[key]
    if article.pdf_sha256:
        return _("The PDF is typeset again with the placement; no proof stands to keep yet.")
    return _("The placement is written into the JATS; the PDF is typeset later.")


def issue_problems(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    actor: User | None,
    settings: Mapping[str, Any],
) -> list[tuple[Article, list[TranslationString]]]:
    """Per unpublished article of the issue, every reason it cannot be published now."""
    out = []
    for article in articles_in(db, issue):
        if article.state in PUBLIC_STATES:
            continue
        reasons: list[TranslationString] = []
        if article.state not in UNPUBLISHED_STATES:
            reasons.append(_("The article cannot be published from its state."))
        submission = db.get(Submission, article.submission_id) if article.submission_id else None
        if submission is None:
            reasons.append(_("This article has no submission to keep its files with."))
        elif article.state in UNPUBLISHED_STATES and not workflow.may(submission, "publish", actor):
            reasons.append(_("The article cannot be published from its state."))
        reasons.extend(services.publish_problems(db, storage, article, settings))
        if reasons:
            out.append((article, reasons))
    return out


def publish_issue(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    actor: User | None,
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> publication.PublishedIssue:
    """Publish every unpublished article of the issue and the issue itself, all at once
    (:func:`frontiers_de.articles.publication.publish_issue`; Crossref queues one deposit for
    the issue's articles when it hears of it).

    Nothing changes unless every article can be published: :class:`IssuePublishRefused`
    lists each article's reasons."""
    publication.require_publishable(db, issue)
    problems = issue_problems(db, storage, issue, actor, settings)
    if problems:
        raise IssuePublishRefused(problems)
    return publication.publish_issue(db, storage, issue, actor, settings, now=now)
