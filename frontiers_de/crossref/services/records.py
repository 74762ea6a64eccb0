"""A DOI's record: the states that matter to the rules, its history, finding it, and
marking it stale when the article's metadata changes (:func:`mark_metadata_changed`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.crossref.models import DoiDeposit, DoiEvent, DoiRecord, DoiState
from frontiers_de.submissions.models import Submission

REGISTERED_STATES = (DoiState.REGISTERED, DoiState.REGISTERED_WITH_WARNINGS)
IN_FLIGHT_STATES = (DoiState.QUEUED, DoiState.SUBMITTED)


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


# --- finding a record ------------------------------------------------------------------


def _record_for(db: Session, journal_id: int, doi: str) -> DoiRecord:
    record = db.scalar(select(DoiRecord).where(func.lower(DoiRecord.doi) == doi.lower()))
    if record is None:
        record = DoiRecord(journal_id=journal_id, doi=doi, state=DoiState.UNREGISTERED)
        db.add(record)
        db.flush()
        _event(db, record, DoiState.UNREGISTERED, "DOI record created")
    return record


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


def _records_of(db: Session, deposit: DoiDeposit, dois: Sequence[str]) -> list[DoiRecord]:
    keys = [d.lower() for d in dois]
    return list(
        db.scalars(
            select(DoiRecord).where(func.lower(DoiRecord.doi).in_(keys)).order_by(DoiRecord.id)
        )
    )


# --- metadata changes ------------------------------------------------------------------


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
