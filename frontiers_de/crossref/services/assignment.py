"""DOI assignment: when a paper is accepted (:func:`on_accept`) it gets the next free number
of its journal and year, formatted with the journal's prefix and suffix pattern, and an
unregistered :class:`DoiRecord`.

Numbers are handed out one transaction at a time: on PostgreSQL the journal row is locked
(``SELECT … FOR UPDATE``); SQLite allows one writer at a time and the acceptance has
written before the hook runs. The unique constraints on ``doi_records.doi`` and
``submissions.doi`` stay the last word, and a request that still collides is retried by
pyramid_retry.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.crossref.doi import InvalidDOI, format_doi
from frontiers_de.crossref.models import DoiRecord, DoiState
from frontiers_de.crossref.services.records import _event, _record_for
from frontiers_de.db.meta import utcnow
from frontiers_de.journals.models import Journal
from frontiers_de.submissions.models import Submission

log = logging.getLogger(__name__)


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


def on_accept(db: Session, submission: Submission, actor: User | None) -> None:
    """Workflow hook ``decide:accept``. A journal without a usable DOI prefix does not block
    the acceptance: the DOI is then assigned when the article is deposited."""
    try:
        assign_doi(db, submission)
    except InvalidDOI as exc:
        log.warning("no DOI assigned to submission %s on acceptance: %s", submission.id, exc)
