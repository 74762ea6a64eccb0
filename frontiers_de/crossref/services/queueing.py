"""Queueing a deposit: :func:`queue_deposit` checks each article (its DOI, its JATS, no
earlier batch of its DOI still on its way), builds the deposit XML, validates it against the
Crossref 5.4.0 XSD and stores it (:class:`DoiDeposit`) with the job that sends it after the
commit. An article that cannot go is left out with the reason; the others go ahead.
Nothing waits for Crossref and nothing is lost while it is down: the deposit row holds the
XML.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState, Issue
from frontiers_de.config import JournalProfile, SiteSettings
from frontiers_de.crossref.deposit import (
    Deposit,
    DepositError,
    DepositSettings,
    build_deposit,
    next_timestamp,
)
from frontiers_de.crossref.doi import InvalidDOI
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.crossref.services.assignment import assign_doi
from frontiers_de.crossref.services.records import DoiError, _own_record, _record_for, _set_state
from frontiers_de.crossref.validate import format_errors, validate_deposit
from frontiers_de.db.meta import utcnow
from frontiers_de.identifiers import strip_doi_resolver
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.journals.models import Journal
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
from frontiers_de.submissions.models import Submission
from frontiers_de.tasks import enqueue_after_commit, task_settings
from frontiers_de.xml.safe import XMLInputError, parse_xml
from frontiers_de.xml.schemas import SchemaUnavailable

log = logging.getLogger(__name__)


JOB_KIND = "doi_deposit"
# The task that sends a deposit (``crossref/tasks.py``), named rather than imported: the
# tasks module imports these services, and the name is looked up when the task is sent.
SEND_DEPOSIT = "frontiers_de.crossref.send_deposit"

# Articles whose landing page exists: only these may be (re-)deposited from the pages.
PUBLIC_ARTICLE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED, ArticleState.RETRACTED)


@dataclass
class QueueResult:
    """What :func:`queue_deposit` did: the stored deposit (None when nothing could be
    sent) and, per article id, why an article was left out."""

    deposit: DoiDeposit | None
    refused: dict[int, str] = field(default_factory=dict)


def _settings_now(settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    # A caller without the app's settings at hand (a workflow hook, a script) deposits
    # with the settings the tasks run with.
    return settings if settings is not None else task_settings()


def _profile(db: Session, journal_id: int, settings: Mapping[str, Any]) -> JournalProfile:
    journal = db.get(Journal, journal_id)
    assert journal is not None
    return journal.profile(SiteSettings.of(settings).base_url)


def _prepare_article(db: Session, article: Article) -> tuple[DoiRecord, ArticleMeta]:
    """The article's record and JATS, checked: raises :class:`DoiError` with the reason."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if not article.doi and submission is not None:
        if not submission.doi:
            try:
                assign_doi(db, submission)
            except InvalidDOI as exc:
                raise DoiError(f"no DOI can be assigned: {exc}") from exc
        article.doi = submission.doi
    if not article.doi:
        raise DoiError(f"article {article.id} has no DOI")
    if submission is not None and submission.doi and submission.doi != article.doi:
        raise DoiError(
            f"article {article.id} has DOI {article.doi} but its submission has {submission.doi}"
        )
    owner = db.scalar(select(Submission).where(func.lower(Submission.doi) == article.doi.lower()))
    if owner is not None and owner.id != article.submission_id:
        raise DoiError(f"DOI {article.doi} was given to submission {owner.id}, not to this article")
    record = _record_for(db, article.journal_id, article.doi)
    if record.article_id is not None and record.article_id != article.id:
        raise DoiError(f"DOI {record.doi} belongs to article {record.article_id}, not {article.id}")
    if not article.jats_xml:
        raise DoiError(f"article {article.id} has no JATS yet")
    try:
        tree = parse_xml(article.jats_xml.encode("utf-8"))
    except XMLInputError as exc:
        raise DoiError(f"the article's JATS cannot be read: {exc}") from exc
    meta = read_article_meta(tree)
    jats_doi = strip_doi_resolver(meta.doi)
    if jats_doi.lower() != article.doi.lower():
        shown = jats_doi or "no DOI"
        raise DoiError(
            f"the article's JATS carries {shown}, but the article's DOI is {article.doi}"
        )
    record.article_id = article.id
    return record, meta


def _invalid(errors: Sequence[Any]) -> str:
    return "the deposit XML is invalid against the Crossref 5.4.0 schema:\n" + "\n".join(
        format_errors(list(errors))
    )


def _next_deposit_timestamp(db: Session, journal_id: int) -> int:
    # Crossref keeps a record only when its timestamp beats the last one: higher than any
    # deposit stored, whichever process made it.
    last = db.scalar(
        select(func.max(DoiDeposit.timestamp)).where(DoiDeposit.journal_id == journal_id)
    )
    return max(next_timestamp(), (last or 0) + 1)


def queue_deposit(
    db: Session,
    articles: Iterable[Article],
    actor: User | None,
    *,
    settings: Mapping[str, Any] | None = None,
    enqueue: Callable[..., None] | None = None,
) -> QueueResult:
    """Build, validate and store one deposit for ``articles`` (of one journal) and send it
    after the commit.

    An article whose DOI is still on its way in an earlier batch (queued, or sent and
    waiting for Crossref's result) is left out with the reason, its record unchanged: one
    batch at a time per DOI, so nothing is sent twice. An article that cannot be deposited
    (no DOI, unreadable JATS, deposit XML invalid against the 5.4.0 XSD …) is left out and
    its record is ``failed`` with the reason; the others go ahead. The deposit is sent by
    the ``send_deposit`` task after the transaction commits (``enqueue(task_name, job_id)``,
    by default through the session's transaction manager); without one, the sweep sends it.
    """
    settings = _settings_now(settings)
    articles = list(articles)
    result = QueueResult(None)
    if not articles:
        return result
    journal_ids = {a.journal_id for a in articles}
    if len(journal_ids) != 1:
        raise DoiError("a deposit holds articles of one journal")
    journal_id = journal_ids.pop()
    batch = _Batch(
        db,
        result,
        _profile(db, journal_id, settings),
        DepositSettings.from_settings(settings),
        settings,
    )
    accepted = _accept(batch, articles)
    valid = _validated(batch, accepted, _next_deposit_timestamp(db, journal_id))
    if valid is None:
        return result
    deposit_tree, accepted = valid
    result.deposit, job = _store(db, journal_id, deposit_tree, accepted, actor)
    _send_after_commit(db, job.id, enqueue)
    return result


# An article going into a deposit: its record and the metadata read from its JATS.
_Entry = tuple[Article, DoiRecord, ArticleMeta]


@dataclass
class _Batch:
    """One deposit being put together: what its articles are built and validated with, and
    the result that collects the articles left out."""

    db: Session
    result: QueueResult
    profile: JournalProfile
    deposit_settings: DepositSettings
    settings: Mapping[str, Any]

    def build(self, metas: Sequence[ArticleMeta], timestamp: int) -> Deposit:
        return build_deposit(metas, self.profile, self.deposit_settings, timestamp=timestamp)

    def errors(self, deposit: Deposit) -> list[Any]:
        # Validated as bytes read back, so that each error names its line in the XML.
        return validate_deposit(parse_xml(deposit.to_bytes()), self.settings)

    def refuse(self, article: Article, record: DoiRecord | None, reason: str) -> None:
        """Leave ``article`` out: its record (if it has one) is ``failed`` with the reason."""
        self.result.refused[article.id] = reason
        record = record or _own_record(self.db, article)
        if record is not None:
            _set_state(self.db, record, DoiState.FAILED, f"Not sent to Crossref: {reason}")
        log.warning("article %s not deposited: %s", article.id, reason)


def _accept(batch: _Batch, articles: Sequence[Article]) -> list[_Entry]:
    """The articles that can go into the deposit, each checked alone; the others are left
    out with the reason."""
    accepted: list[_Entry] = []
    for article in articles:
        record: DoiRecord | None = None
        try:
            record, tree = _prepare_article(batch.db, article)
            on_its_way = _batch_on_its_way(batch.db, record)
            if on_its_way is not None:
                # Not a failure of the DOI: its earlier batch is still being delivered.
                reason = _on_its_way_reason(record, on_its_way)
                batch.result.refused[article.id] = reason
                log.info("article %s not deposited again: %s", article.id, reason)
                continue
            # Building alone names the article that lacks what Crossref requires.
            batch.build([tree], timestamp=1)
        except (DoiError, DepositError) as exc:
            batch.refuse(article, record, str(exc))
            continue
        accepted.append((article, record, tree))
    return accepted


def _validated(
    batch: _Batch, accepted: list[_Entry], timestamp: int
) -> tuple[Deposit, list[_Entry]] | None:
    """The deposit of the ``accepted`` articles that is valid against the 5.4.0 XSD, with
    the articles it holds: an article whose own deposit is invalid is left out and the
    others go ahead. None when no article is left (or the schema cannot be loaded)."""
    while accepted:
        deposit_tree = batch.build([tree for _, _, tree in accepted], timestamp)
        try:
            errors = batch.errors(deposit_tree)
        except SchemaUnavailable as exc:
            for article, record, _ in accepted:
                batch.refuse(article, record, f"the deposit cannot be validated: {exc}")
            return None
        if not errors:
            return deposit_tree, accepted
        # Find the articles at fault (each validated alone) and send the others.
        still: list[_Entry] = []
        for article, record, tree in accepted:
            own = batch.errors(batch.build([tree], timestamp))
            if own:
                batch.refuse(article, record, _invalid(own))
            else:
                still.append((article, record, tree))
        if len(still) == len(accepted):  # only the batch as a whole is invalid
            for article, record, _ in accepted:
                batch.refuse(article, record, _invalid(errors))
            return None
        accepted = still
    return None


def _store(
    db: Session,
    journal_id: int,
    deposit_tree: Deposit,
    accepted: Sequence[_Entry],
    actor: User | None,
) -> tuple[DoiDeposit, Job]:
    """Store the deposit, queue its records and make the job that sends it."""
    deposit = DoiDeposit(
        journal_id=journal_id,
        batch_id=deposit_tree.batch_id,
        timestamp=deposit_tree.timestamp,
        xml=deposit_tree.to_bytes().decode("utf-8"),
        state=DepositState.QUEUED,
    )
    db.add(deposit)
    db.flush()
    for _, record, _ in accepted:
        record.last_deposit_id = deposit.id
        _set_state(db, record, DoiState.QUEUED, f"Queued in batch {deposit.batch_id}", deposit.id)
    job = Job(
        kind=JOB_KIND,
        target_type=DoiDeposit.__tablename__,
        target_id=deposit.id,
        journal_id=journal_id,
        created_by_id=actor.id if actor is not None else None,
        state=JobState.QUEUED,
    )
    db.add(job)
    db.flush()
    return deposit, job


def _batch_on_its_way(db: Session, record: DoiRecord) -> DoiDeposit | None:
    """The batch carrying ``record``'s DOI that is still queued or sent and waiting for
    Crossref's result, if any: a second batch now would send the DOI twice (the older one
    then fails at Crossref as "already deposited", or overwrites the newer metadata).

    The record's row is written first, so that two "Deposit again" at the same moment take
    turns: PostgreSQL locks the row, SQLite has one writer at a time, and the second then
    reads the batch the first one queued."""
    db.flush()
    db.execute(
        update(DoiRecord)
        .where(DoiRecord.id == record.id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.refresh(record)
    if record.last_deposit_id is None:
        return None
    deposit = db.get(DoiDeposit, record.last_deposit_id, populate_existing=True)
    if deposit is None or deposit.state not in (DepositState.QUEUED, DepositState.SUBMITTED):
        return None
    return deposit


def _on_its_way_reason(record: DoiRecord, deposit: DoiDeposit) -> str:
    where = (
        "queued, and sent automatically"
        if deposit.state is DepositState.QUEUED
        else "sent, and Crossref's result is asked for automatically"
    )
    when = (
        f" (next try after {deposit.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
        if deposit.next_attempt_at is not None
        else ""
    )
    return (
        f"batch {deposit.batch_id} with {record.doi} is still on its way to Crossref: it is "
        f"{where}{when}. Deposit again once Crossref has answered it."
    )


def _send_after_commit(db: Session, job_id: int, enqueue: Callable[..., None] | None) -> None:
    if enqueue is not None:
        enqueue(SEND_DEPOSIT, job_id)
        return
    tm = db.info.get("tm")
    if tm is None:
        log.info("job %s: no transaction manager; the sweep will send the deposit", job_id)
        return
    enqueue_after_commit(tm, SEND_DEPOSIT, job_id)


def depositable(article: Article | None) -> bool:
    """Whether the pages may (re-)deposit ``article``: public, with JATS and a DOI."""
    return bool(
        article is not None
        and article.state in PUBLIC_ARTICLE_STATES
        and article.jats_xml
        and article.doi
    )


def redeposit_record(
    db: Session, record: DoiRecord, actor: User | None, settings: Mapping[str, Any] | None = None
) -> QueueResult:
    """Deposit the article of ``record`` again (newer timestamp, same DOI)."""
    article = db.get(Article, record.article_id) if record.article_id else None
    if article is None:
        raise DoiError("this DOI has no article yet, so there is nothing to deposit")
    if not depositable(article):
        raise DoiError("the article is not published, so its DOI cannot be deposited yet")
    return queue_deposit(db, [article], actor, settings=settings)


def redeposit_issue(
    db: Session, issue: Issue, actor: User | None, settings: Mapping[str, Any] | None = None
) -> QueueResult:
    """Deposit every published article of ``issue`` again, in one batch."""
    articles = [a for a in issue.articles if depositable(a)]
    if not articles:
        raise DoiError("the issue has no published article with a DOI")
    return queue_deposit(db, articles, actor, settings=settings)
