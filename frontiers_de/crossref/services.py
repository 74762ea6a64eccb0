"""DOI registration in the app: the rules, callable without HTTP.

- **Assignment**: when a paper is accepted (workflow hook ``decide:accept``) it gets the
  next free number of its journal and year, formatted with the journal's prefix and suffix
  pattern, and a :class:`DoiRecord` (unregistered). Numbers are handed out one transaction
  at a time: on PostgreSQL the journal row is locked (``SELECT … FOR UPDATE``); SQLite
  allows one writer at a time and the acceptance has written before the hook runs. The
  unique constraints on ``doi_records.doi`` and ``submissions.doi`` stay the last word, and
  a request that still collides is retried by pyramid_retry.
- **Depositing**: :func:`queue_deposit` builds and validates the deposit XML and stores it
  (:class:`DoiDeposit`); :func:`process_deposit` (run by a Celery task) sends it, polls and
  records each DOI's outcome; :func:`sweep` retries what Crossref could not take. Nothing
  waits for Crossref and nothing is lost while it is down: the deposit row holds the XML.
- **Publishing** (workflow hook ``publish``) queues the article's deposit at the end of the
  publishing transaction, so what the production pages change after calling the workflow
  (publication date in the JATS, article state) is in the deposit.
- :func:`mark_metadata_changed`: the production pages call it when an article's JATS
  changes; a registered DOI becomes ``stale`` until it is deposited again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState, Issue
from frontiers_de.config import JournalProfile, SiteSettings, TaskSettings, backoff
from frontiers_de.crossref.client import (
    BatchResult,
    CrossrefAuthError,
    CrossrefRejected,
    CrossrefUnavailable,
    DepositClient,
    MalformedAnswer,
    NotYetProcessed,
    RetryPolicy,
    SubmissionReceipt,
)
from frontiers_de.crossref.deposit import (
    DepositError,
    DepositSettings,
    build_deposit,
    next_timestamp,
)
from frontiers_de.crossref.doi import InvalidDOI, format_doi
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiEvent, DoiRecord, DoiState
from frontiers_de.crossref.rest import CrossrefLookupError, CrossrefRest, compare_work
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.crossref.validate import format_errors, validate_deposit
from frontiers_de.db.meta import utcnow
from frontiers_de.db.scope import session_scope
from frontiers_de.identifiers import strip_doi_resolver
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.journals.models import Journal
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import XMLInputError, parse_xml
from frontiers_de.xml.schemas import SchemaUnavailable

log = logging.getLogger(__name__)

JOB_KIND = "doi_deposit"
# While one worker sends or polls a deposit, others leave it alone this long; a worker
# that dies mid-way leaves it due again afterwards.
CLAIM_SECONDS = 600
# Sweep backoff (``CrossrefSettings.retry_base_seconds`` / ``retry_max_seconds``, through
# config.backoff): 1, 2, 4 … minutes after each failed try, at most 6 hours apart, never
# given up.
# How long after registration the REST read-back is tried again while Crossref's API does
# not show the DOI yet (its index lags behind deposits).
DEFAULT_READBACK_DAYS = CrossrefSettings.readback_days
# How long a new deposit is left to the task enqueued after its commit.
FRESH_SECONDS = 120
REGISTERED_STATES = (DoiState.REGISTERED, DoiState.REGISTERED_WITH_WARNINGS)
IN_FLIGHT_STATES = (DoiState.QUEUED, DoiState.SUBMITTED)
# Articles whose landing page exists: only these may be (re-)deposited from the pages.
PUBLIC_ARTICLE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED, ArticleState.RETRACTED)


class DoiError(Exception):
    """A DOI action the rules refuse, with the reason for the person who asked."""


# --- history ---------------------------------------------------------------------------


def _event(
    db: Session,
    record: DoiRecord,
    state: DoiState,
    message: str = "",
    deposit_id: int | None = None,
) -> DoiEvent:
    event = DoiEvent(state=state, message=message[:4000], deposit_id=deposit_id)
    record.events.append(event)
    db.flush()
    return event


def _set_state(
    db: Session,
    record: DoiRecord,
    state: DoiState,
    message: str = "",
    deposit_id: int | None = None,
) -> None:
    record.state = state
    record.message = message[:4000]
    _event(db, record, state, message, deposit_id)


# --- assignment on acceptance ----------------------------------------------------------


def _doi_taken(db: Session, doi: str) -> bool:
    key = doi.lower()
    for column in (DoiRecord.doi, Submission.doi, Article.doi):
        if db.scalar(select(func.count()).where(func.lower(column) == key)):
            return True
    return False


def next_doi_number(db: Session, journal: Journal, year: int) -> int:
    """The number after the highest one given in ``journal`` for ``year`` (for a pattern
    without ``{year}``, the highest ever)."""
    query = select(func.max(Submission.doi_number)).where(
        Submission.journal_id == journal.id, Submission.doi_number.is_not(None)
    )
    if "{year" in journal.doi_suffix_pattern:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        query = query.where(
            Submission.accepted_at >= start,
            Submission.accepted_at < start.replace(year=year + 1),
        )
    return (db.scalar(query) or 0) + 1


def assign_doi(db: Session, submission: Submission, now: dt.datetime | None = None) -> DoiRecord:
    """Give ``submission`` its DOI and an unregistered :class:`DoiRecord`; a submission that
    has one keeps it. Raises :class:`InvalidDOI` when the journal's prefix or pattern is
    unusable."""
    if submission.doi:
        return _record_for(db, submission.journal_id, submission.doi)
    # The row lock makes concurrent acceptances in one journal take numbers in turn
    # (PostgreSQL); SQLite ignores FOR UPDATE but has one writer at a time. NO KEY UPDATE,
    # because the acceptance already holds KEY SHARE on the journal row (foreign keys of
    # the rows it inserted): FOR UPDATE would deadlock two acceptances.
    journal = db.execute(
        select(Journal).where(Journal.id == submission.journal_id).with_for_update(key_share=True)
    ).scalar_one()
    year = (submission.accepted_at or now or utcnow()).year
    number = next_doi_number(db, journal, year)
    doi = format_doi(journal.doi_prefix, journal.doi_suffix_pattern, year, number)
    # Numbers taken outside the counter (imported articles, a pattern without {year}).
    while _doi_taken(db, doi):
        number += 1
        doi = format_doi(journal.doi_prefix, journal.doi_suffix_pattern, year, number)
    submission.doi = doi
    submission.doi_number = number
    record = DoiRecord(journal_id=journal.id, doi=doi, state=DoiState.UNREGISTERED)
    db.add(record)
    db.flush()
    _event(db, record, DoiState.UNREGISTERED, f"DOI assigned to submission {submission.id}")
    return record


def _record_for(db: Session, journal_id: int, doi: str) -> DoiRecord:
    record = db.scalar(select(DoiRecord).where(func.lower(DoiRecord.doi) == doi.lower()))
    if record is None:
        record = DoiRecord(journal_id=journal_id, doi=doi, state=DoiState.UNREGISTERED)
        db.add(record)
        db.flush()
        _event(db, record, DoiState.UNREGISTERED, "DOI record created")
    return record


def on_accept(db: Session, submission: Submission, actor: User | None) -> None:
    """Workflow hook ``decide:accept``. A journal without a usable DOI prefix does not block
    the acceptance: the DOI is then assigned when the article is deposited."""
    try:
        assign_doi(db, submission)
    except InvalidDOI as exc:
        log.warning("no DOI assigned to submission %s on acceptance: %s", submission.id, exc)


# --- metadata changes ------------------------------------------------------------------


def record_of(db: Session, article: Article) -> DoiRecord | None:
    """The DOI record of ``article`` (linked, or by its DOI)."""
    record = db.scalar(select(DoiRecord).where(DoiRecord.article_id == article.id))
    if record is None and article.doi:
        record = db.scalar(
            select(DoiRecord).where(func.lower(DoiRecord.doi) == article.doi.lower())
        )
    return record


def _own_record(db: Session, article: Article) -> DoiRecord | None:
    """The record that is ``article``'s own: linked to it, or its submission's DOI (never a
    DOI the article merely claims)."""
    record = db.scalar(select(DoiRecord).where(DoiRecord.article_id == article.id))
    if record is None and article.submission_id:
        submission = db.get(Submission, article.submission_id)
        if submission is not None and submission.doi:
            record = db.scalar(
                select(DoiRecord).where(func.lower(DoiRecord.doi) == submission.doi.lower())
            )
    if record is not None and record.article_id not in (None, article.id):
        return None
    return record


def mark_metadata_changed(
    db: Session, article: Article, actor: User | None = None
) -> DoiRecord | None:
    """Call when ``article``'s JATS has changed. A DOI registered (or on its way) with the
    old metadata becomes ``stale`` until it is deposited again; other states stay."""
    record = record_of(db, article)
    if record is None:
        return None
    if record.state in REGISTERED_STATES or record.state in IN_FLIGHT_STATES:
        who = f" by {actor.email}" if actor is not None else ""
        _set_state(
            db,
            record,
            DoiState.STALE,
            f"The article's metadata changed{who} after it was sent to Crossref; deposit it again.",
        )
    return record


# --- queueing a deposit ----------------------------------------------------------------


@dataclass
class QueueResult:
    """What :func:`queue_deposit` did: the stored deposit (None when nothing could be
    sent) and, per article id, why an article was left out."""

    deposit: DoiDeposit | None
    refused: dict[int, str] = field(default_factory=dict)


def _settings_now(settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if settings is not None:
        return settings
    from frontiers_de.tasks import task_settings

    return task_settings()


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
    the ``send_deposit`` task after the transaction commits (``enqueue(task, job_id)``, by
    default through the session's transaction manager); without one, the sweep sends it.
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
    profile = _profile(db, journal_id, settings)
    deposit_settings = DepositSettings.from_settings(settings)
    accepted: list[tuple[Article, DoiRecord, ArticleMeta]] = []

    def refuse(article: Article, record: DoiRecord | None, reason: str) -> None:
        result.refused[article.id] = reason
        record = record or _own_record(db, article)
        if record is not None:
            _set_state(db, record, DoiState.FAILED, f"Not sent to Crossref: {reason}")
        log.warning("article %s not deposited: %s", article.id, reason)

    for article in articles:
        record: DoiRecord | None = None
        try:
            record, tree = _prepare_article(db, article)
            on_its_way = _batch_on_its_way(db, record)
            if on_its_way is not None:
                # Not a failure of the DOI: its earlier batch is still being delivered.
                reason = _on_its_way_reason(record, on_its_way)
                result.refused[article.id] = reason
                log.info("article %s not deposited again: %s", article.id, reason)
                continue
            # Building alone names the article that lacks what Crossref requires.
            build_deposit([tree], profile, deposit_settings, timestamp=1)
        except (DoiError, DepositError) as exc:
            refuse(article, record, str(exc))
            continue
        accepted.append((article, record, tree))
    timestamp = _next_deposit_timestamp(db, journal_id)
    while accepted:
        deposit_tree = build_deposit(
            [tree for _, _, tree in accepted], profile, deposit_settings, timestamp=timestamp
        )
        try:
            # Validated as bytes read back, so that each error names its line in the XML.
            errors = validate_deposit(parse_xml(deposit_tree.to_bytes()), settings)
        except SchemaUnavailable as exc:
            for article, record, _ in accepted:
                refuse(article, record, f"the deposit cannot be validated: {exc}")
            return result
        if not errors:
            break
        # Find the articles at fault (each validated alone) and send the others.
        still: list[tuple[Article, DoiRecord, ArticleMeta]] = []
        for article, record, tree in accepted:
            single = build_deposit([tree], profile, deposit_settings, timestamp=timestamp)
            own = validate_deposit(parse_xml(single.to_bytes()), settings)
            if own:
                refuse(article, record, _invalid(own))
            else:
                still.append((article, record, tree))
        if len(still) == len(accepted):  # only the batch as a whole is invalid
            for article, record, _ in accepted:
                refuse(article, record, _invalid(errors))
            return result
        accepted = still
    if not accepted:
        return result
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
    _send_after_commit(db, job.id, enqueue)
    result.deposit = deposit
    return result


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
    from frontiers_de.crossref.tasks import send_deposit

    if enqueue is not None:
        enqueue(send_deposit, job_id)
        return
    tm = db.info.get("tm")
    if tm is None:
        log.info("job %s: no transaction manager; the sweep will send the deposit", job_id)
        return
    from frontiers_de.tasks import enqueue_after_commit

    enqueue_after_commit(tm, send_deposit, job_id)


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


# --- publishing --------------------------------------------------------------------------


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
    from frontiers_de.editorial import workflow

    workflow.on_transition("decide:accept", on_accept)
    workflow.on_transition("publish", on_publish)


# --- sending and polling (tasks) -------------------------------------------------------


NO_CREDENTIALS = (
    "Crossref credentials are not configured (set CROSSREF_USERNAME and CROSSREF_PASSWORD); "
    "the deposit waits and is sent once they are"
)


def credentials_configured(settings: Mapping[str, Any]) -> bool:
    crossref = CrossrefSettings.of(settings)
    return bool(crossref.username and crossref.password)


def deposit_client(settings: Mapping[str, Any]) -> DepositClient:
    """The deposit client from settings (endpoint, credentials, time-outs, retries).

    When tasks run in-process (``celery.always_eager``, the embedded default) the task runs
    on one of the few in-process task threads (never in the publishing request), so by
    default it tries briefly and leaves the rest (Crossref takes minutes to process a
    batch) to the sweep, keeping those threads free for mail and typesetting."""
    eager = TaskSettings.of(settings).always_eager
    crossref = CrossrefSettings.of(settings)

    def unless_set(value: float | None, default: float) -> float:
        return default if value is None else value

    retry = RetryPolicy(
        attempts=int(unless_set(crossref.retry_attempts, 2 if eager else 4)),
        base_delay=unless_set(crossref.retry_base_delay, 1.0 if eager else 2.0),
        max_delay=crossref.retry_max_delay,
    )
    return DepositClient.from_settings(
        settings,
        retry=retry,
        poll_interval=unless_set(crossref.poll_interval, 2.0 if eager else 10.0),
        max_polls=int(unless_set(crossref.max_polls, 1 if eager else 3)),
    )


def rest_client(settings: Mapping[str, Any]) -> CrossrefRest:
    return CrossrefRest.from_settings(settings, timeout=CrossrefSettings.of(settings).rest_timeout)


def retry_delay(attempts: int, settings: Mapping[str, Any]) -> dt.timedelta:
    """How long the sweep waits after the ``attempts``-th failed try (exponential)."""
    crossref = CrossrefSettings.of(settings)
    return backoff(crossref.retry_base_seconds, crossref.retry_max_seconds, attempts)


def _claim(session_factory: sessionmaker[Session], deposit_id: int, now: dt.datetime) -> bool:
    """Take the deposit for this worker, if it is due and nobody else has it."""
    with session_scope(session_factory) as db:
        claimed = db.execute(
            update(DoiDeposit)
            .where(
                DoiDeposit.id == deposit_id,
                DoiDeposit.state.in_((DepositState.QUEUED, DepositState.SUBMITTED)),
                or_(DoiDeposit.next_attempt_at.is_(None), DoiDeposit.next_attempt_at <= now),
            )
            .values(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False)
        )
        return claimed.rowcount == 1


@dataclass
class DepositRun:
    """The outcome of one :func:`process_deposit`."""

    deposit_id: int
    state: DepositState | None
    message: str = ""
    retry_at: dt.datetime | None = None
    outcomes: dict[str, str] = field(default_factory=dict)


def _records_of(db: Session, deposit: DoiDeposit, dois: Sequence[str]) -> list[DoiRecord]:
    keys = [d.lower() for d in dois]
    return list(
        db.scalars(
            select(DoiRecord).where(func.lower(DoiRecord.doi).in_(keys)).order_by(DoiRecord.id)
        )
    )


def _retry_later(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    deposit_id: int,
    dois: Sequence[str],
    message: str,
    now: dt.datetime,
    count: bool = True,
    unreadable: bytes = b"",
) -> DepositRun:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        if count:  # one run is one try, even when it uploaded and then could not poll
            deposit.attempts += 1
        deposit.last_error = message[:4000]
        if unreadable:
            # Kept for the deposit's page: what Crossref said that could not be read.
            deposit.diagnostics = unreadable.decode("utf-8", "replace")[:20000]
        deposit.next_attempt_at = now + retry_delay(deposit.attempts, settings)
        note = f"{message} — tried again after {deposit.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id and record.state in IN_FLIGHT_STATES:
                _set_state(db, record, record.state, note, deposit.id)
        log.warning("deposit %s: %s", deposit.batch_id, note)
        return DepositRun(deposit_id, deposit.state, note, deposit.next_attempt_at)


def _fail_batch(
    session_factory: sessionmaker[Session], deposit_id: int, dois: Sequence[str], message: str
) -> DepositRun:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.attempts += 1
        deposit.state = DepositState.FAILED
        deposit.last_error = message[:4000]
        deposit.next_attempt_at = None
        deposit.completed_at = utcnow()
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id:
                _set_state(db, record, DoiState.FAILED, message, deposit.id)
            else:
                _event(db, record, DoiState.FAILED, message, deposit.id)
        log.error("deposit %s refused: %s", deposit.batch_id, message)
        return DepositRun(deposit_id, DepositState.FAILED, message)


def _mark_submitted(
    session_factory: sessionmaker[Session], deposit_id: int, dois: Sequence[str]
) -> None:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.attempts += 1
        deposit.state = DepositState.SUBMITTED
        deposit.submitted_at = utcnow()
        deposit.last_error = ""
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id and record.state is DoiState.QUEUED:
                _set_state(
                    db,
                    record,
                    DoiState.SUBMITTED,
                    "Sent to Crossref; waiting for its result",
                    deposit.id,
                )


# Crossref's answer settles a DOI as one of these; anything else (a DOI the answer does not
# mention) counts as failed.
_SETTLED_STATES = (DoiState.REGISTERED, DoiState.REGISTERED_WITH_WARNINGS, DoiState.FAILED)


def _record_outcomes(
    session_factory: sessionmaker[Session],
    deposit_id: int,
    result: BatchResult,
    now: dt.datetime,
) -> DepositRun:
    run = DepositRun(deposit_id, DepositState.COMPLETED)
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.state = DepositState.COMPLETED
        deposit.completed_at = now
        deposit.next_attempt_at = None
        deposit.last_error = ""
        deposit.diagnostics = result.raw.decode("utf-8", "replace")
        records = {
            r.doi.lower(): r for r in _records_of(db, deposit, [o.doi for o in result.outcomes])
        }
        for outcome in result.outcomes:
            record = records.get(outcome.doi.lower())
            if record is None:
                log.error("deposit %s: Crossref reports unknown DOI %s", deposit_id, outcome.doi)
                continue
            state = outcome.status if outcome.status in _SETTLED_STATES else DoiState.FAILED
            message = outcome.message or (
                "Registered" if state is DoiState.REGISTERED else "No message from Crossref"
            )
            if outcome.status is DoiState.SUBMITTED:
                message = f"Crossref's result for this batch does not mention this DOI ({message})"
            run.outcomes[record.doi] = state.value
            if record.last_deposit_id != deposit.id:
                # A newer deposit of this DOI is on its way: history only.
                _event(db, record, state, f"Older batch {deposit.batch_id}: {message}", deposit.id)
                continue
            if state in REGISTERED_STATES:
                record.registered_at = now
                record.metadata_checked_at = None
                record.metadata_mismatch = ""
                if record.state is DoiState.STALE:
                    _event(db, record, state, message, deposit.id)
                    _set_state(
                        db,
                        record,
                        DoiState.STALE,
                        "Registered, but the metadata changed after this deposit was built; "
                        "deposit it again.",
                        deposit.id,
                    )
                    continue
            _set_state(db, record, state, message, deposit.id)
    return run


def process_deposit(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    deposit_id: int,
    *,
    client: DepositClient | None = None,
    rest: CrossrefRest | None = None,
    now: dt.datetime | None = None,
) -> DepositRun:
    """Send deposit ``deposit_id`` (if not sent yet), poll its result and record each DOI's
    outcome, then read the registered DOIs back. Safe to run twice: a deposit that is not
    due, already completed, or being handled by another worker is left alone."""
    now = now or utcnow()
    if not _claim(session_factory, deposit_id, now):
        with session_scope(session_factory) as db:
            deposit = db.get(DoiDeposit, deposit_id)
            state = deposit.state if deposit is not None else None
        return DepositRun(deposit_id, state, "not due, finished, or taken by another worker")
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        state, attempts, xml = deposit.state, deposit.attempts, deposit.xml.encode("utf-8")
        batch_id = deposit.batch_id
    from frontiers_de.crossref.client import dois_in_deposit

    _, dois = dois_in_deposit(xml)
    receipt = SubmissionReceipt(f"{batch_id}.xml", batch_id, dois)
    if client is None and not credentials_configured(settings):
        # An installation without a Crossref account (the embedded default) keeps its
        # deposits queued, with the reason on the page, instead of calling Crossref.
        return _retry_later(
            session_factory, settings, deposit_id, dois, NO_CREDENTIALS, now, count=False
        )
    uploaded_now = False
    try:
        client = client or deposit_client(settings)
        if state is DepositState.QUEUED:
            # A try that died after uploading must not upload a second copy.
            known = attempts > 0 and client.fetch_result(receipt).state != "unknown_submission"
            if not known:
                client.upload(xml, receipt.filename)
            _mark_submitted(session_factory, deposit_id, dois)
            uploaded_now = True
        result = client.poll(receipt)
    except CrossrefRejected as exc:
        return _fail_batch(session_factory, deposit_id, dois, f"Crossref refused the batch: {exc}")
    except (CrossrefUnavailable, CrossrefAuthError, MalformedAnswer, NotYetProcessed) as exc:
        # UploadUnconfirmed (a lost answer, and a status check that failed too) lands here:
        # the deposit stays queued with attempts > 0, so the next try asks Crossref first.
        return _retry_later(
            session_factory,
            settings,
            deposit_id,
            dois,
            str(exc),
            now,
            count=not uploaded_now,
            unreadable=exc.raw if isinstance(exc, MalformedAnswer) else b"",
        )
    run = _record_outcomes(session_factory, deposit_id, result, utcnow())
    registered = [doi for doi, s in run.outcomes.items() if s in REGISTERED_STATES]
    if registered:
        check_metadata(session_factory, settings, registered, rest=rest)
    return run


# --- reading back what Crossref holds -----------------------------------------------------


def check_metadata(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    dois: Sequence[str],
    *,
    rest: CrossrefRest | None = None,
) -> dict[str, str]:
    """Compare Crossref's metadata (REST API) of ``dois`` with the articles' JATS and flag
    differences on the records. A DOI the API does not show yet stays unchecked (the sweep
    asks again); an unreachable API is logged and left for later."""
    rest = rest or rest_client(settings)
    outcome: dict[str, str] = {}
    for doi in dois:
        with session_scope(session_factory) as db:
            record = db.scalar(select(DoiRecord).where(func.lower(DoiRecord.doi) == doi.lower()))
            article = db.get(Article, record.article_id) if record and record.article_id else None
            if record is None or article is None or not article.jats_xml:
                continue
            try:
                meta = read_article_meta(parse_xml(article.jats_xml.encode("utf-8")))
                work = rest.work(record.doi)
            except (CrossrefLookupError, XMLInputError) as exc:
                log.info("read-back of %s skipped: %s", doi, exc)
                outcome[doi] = "unchecked"
                continue
            if work is None:
                outcome[doi] = "not_found"
                continue
            mismatches = compare_work(meta, work)
            record.metadata_checked_at = utcnow()
            record.metadata_mismatch = "\n".join(str(m) for m in mismatches)[:4000]
            if mismatches:
                _event(
                    db,
                    record,
                    record.state,
                    "Crossref's metadata differs from ours: " + "; ".join(map(str, mismatches)),
                )
                outcome[doi] = "mismatch"
            else:
                outcome[doi] = "match"
    return outcome


# --- the periodic sweep -----------------------------------------------------------------


@dataclass
class SweepReport:
    sent: list[int] = field(default_factory=list)  # job ids run or enqueued
    checked: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.sent)} deposit(s) retried, {len(self.checked)} DOI(s) read back"


def deposit_job(db: Session, deposit: DoiDeposit) -> Job | None:
    """The latest job that sends ``deposit``."""
    return db.scalar(
        select(Job)
        .where(
            Job.kind == JOB_KIND,
            Job.target_type == DoiDeposit.__tablename__,
            Job.target_id == deposit.id,
        )
        .order_by(Job.id.desc())
        .limit(1)
    )


def sweep(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    run: Callable[[int], Any] | None = None,
    limit: int = 50,
) -> SweepReport:
    """Send again the deposits that are due (queued or submitted, backoff passed), through
    their job (``run(job_id)``, by default the ``send_deposit`` task), and read back the
    registered DOIs that Crossref's REST API did not show yet."""
    now = now or utcnow()
    report = SweepReport()
    if run is None:
        from frontiers_de.crossref.tasks import send_deposit

        def run(job_id: int) -> Any:
            return send_deposit.apply_async(args=(job_id,))

    with session_scope(session_factory) as db:
        due = list(
            db.scalars(
                select(DoiDeposit)
                .where(
                    DoiDeposit.state.in_((DepositState.QUEUED, DepositState.SUBMITTED)),
                    or_(DoiDeposit.next_attempt_at.is_(None), DoiDeposit.next_attempt_at <= now),
                    # A new deposit is its after-commit task's; the sweep takes it only when
                    # that task never came (broker down, no transaction manager).
                    or_(
                        DoiDeposit.attempts > 0,
                        DoiDeposit.created_at <= now - dt.timedelta(seconds=FRESH_SECONDS),
                    ),
                )
                .order_by(DoiDeposit.id)
                .limit(limit)
            )
        )
        job_ids = []
        for deposit in due:
            job = deposit_job(db, deposit)
            if job is None or job.state is JobState.DONE:
                job = Job(
                    kind=JOB_KIND,
                    target_type=DoiDeposit.__tablename__,
                    target_id=deposit.id,
                    journal_id=deposit.journal_id,
                )
                db.add(job)
            job.state = JobState.QUEUED
            db.flush()
            job_ids.append(job.id)
        window = now - dt.timedelta(days=CrossrefSettings.of(settings).readback_days)
        unchecked = list(
            db.scalars(
                select(DoiRecord.doi)
                .where(
                    DoiRecord.state.in_(REGISTERED_STATES),
                    DoiRecord.metadata_checked_at.is_(None),
                    DoiRecord.registered_at >= window,
                )
                .limit(limit)
            )
        )
    for job_id in job_ids:
        run(job_id)
        report.sent.append(job_id)
    if unchecked:
        report.checked = check_metadata(session_factory, settings, unchecked)
    return report


# --- what the pages show ------------------------------------------------------------------


def list_records(
    db: Session, journal: Journal, state: DoiState | None = None, limit: int = 500
) -> list[tuple[DoiRecord, Article | None]]:
    """The journal's DOIs (newest first, at most ``limit``) with their articles, optionally
    of one state."""
    query = (
        select(DoiRecord, Article)
        .outerjoin(Article, Article.id == DoiRecord.article_id)
        .where(DoiRecord.journal_id == journal.id)
        .order_by(DoiRecord.id.desc())
        .limit(limit)
    )
    if state is not None:
        query = query.where(DoiRecord.state == state)
    return [(r, a) for r, a in db.execute(query).all()]


def state_counts(db: Session, journal: Journal) -> dict[DoiState, int]:
    rows = db.execute(
        select(DoiRecord.state, func.count())
        .where(DoiRecord.journal_id == journal.id)
        .group_by(DoiRecord.state)
    ).all()
    return {DoiState(s): n for s, n in rows}


def issues_with_dois(db: Session, journal: Journal) -> list[tuple[Issue, int]]:
    """The journal's issues that hold articles with a DOI record, with how many."""
    rows = db.execute(
        select(Issue, func.count(DoiRecord.id))
        .join(Article, Article.issue_id == Issue.id)
        .join(DoiRecord, DoiRecord.article_id == Article.id)
        .where(Issue.journal_id == journal.id)
        .group_by(Issue.id)
        .order_by(Issue.year.desc(), Issue.id.desc())
    ).all()
    return [(issue, n) for issue, n in rows]


def submission_of(db: Session, record: DoiRecord) -> Submission | None:
    return db.scalar(select(Submission).where(func.lower(Submission.doi) == record.doi.lower()))


def list_deposits(db: Session, journal: Journal, limit: int = 200) -> list[DoiDeposit]:
    return list(
        db.scalars(
            select(DoiDeposit)
            .where(DoiDeposit.journal_id == journal.id)
            .order_by(DoiDeposit.id.desc())
            .limit(limit)
        )
    )


def deposits_of(db: Session, record: DoiRecord) -> list[DoiDeposit]:
    """The batches that carried ``record``'s DOI (from its history)."""
    ids = {e.deposit_id for e in record.events if e.deposit_id}
    if not ids:
        return []
    return list(
        db.scalars(select(DoiDeposit).where(DoiDeposit.id.in_(ids)).order_by(DoiDeposit.id))
    )


def records_in(db: Session, deposit: DoiDeposit) -> list[DoiRecord]:
    """The records whose DOIs the deposit carries."""
    from frontiers_de.crossref.client import dois_in_deposit

    try:
        _, dois = dois_in_deposit(deposit.xml.encode("utf-8"))
    except XMLInputError:
        return []
    return _records_of(db, deposit, dois)
