"""What the production editor's DOI and deposit pages show (``crossref/views.py``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, Issue
from frontiers_de.crossref.client import dois_in_deposit
from frontiers_de.crossref.models import DoiDeposit, DoiRecord, DoiState
from frontiers_de.crossref.services.records import _records_of
from frontiers_de.journals.models import Journal
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import XMLInputError


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
    try:
        _, dois = dois_in_deposit(deposit.xml.encode("utf-8"))
    except XMLInputError:
        return []
    return _records_of(db, deposit, dois)
