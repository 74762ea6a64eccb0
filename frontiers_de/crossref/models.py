"""DOI deposits with Crossref and the registration state of each DOI."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import str_enum


class DepositState(enum.StrEnum):
    QUEUED = "queued"
    SUBMITTED = "submitted"  # uploaded; waiting for Crossref to process it
    COMPLETED = "completed"  # processed; see each DOI's own outcome
    FAILED = "failed"  # the whole batch could not be delivered or was rejected


class DoiDeposit(Base):
    """One deposit batch sent to Crossref."""

    __tablename__ = "doi_deposits"
    __table_args__ = (Index("ix_doi_deposits_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    batch_id: Mapped[str] = mapped_column(String(64), unique=True)
    # yyyymmddHHMMSS + milliseconds: 17 digits, more than a 32-bit integer holds.
    timestamp: Mapped[int] = mapped_column(BigInteger, default=0)
    xml: Mapped[str] = mapped_column(Text)
    state: Mapped[DepositState] = mapped_column(str_enum(DepositState), default=DepositState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    diagnostics: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    # When the sweep may next try this deposit (backoff after a failed try; also a short
    # claim while a worker is on it). None: due now.
    next_attempt_at: Mapped[dt.datetime | None]


class DoiState(enum.StrEnum):
    """Where one DOI stands: kept on its DoiRecord, and what the Crossref client reports."""

    UNREGISTERED = "unregistered"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    REGISTERED_WITH_WARNINGS = "registered_with_warnings"
    FAILED = "failed"
    STALE = "stale"  # registered, but our metadata has changed since


class DoiRecord(Base):
    """A DOI of ours and where its registration stands. One DOI, one article, ever."""

    __tablename__ = "doi_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    doi: Mapped[str] = mapped_column(String(200), unique=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="RESTRICT"), unique=True
    )
    state: Mapped[DoiState] = mapped_column(str_enum(DoiState), default=DoiState.UNREGISTERED)
    message: Mapped[str] = mapped_column(Text, default="")
    last_deposit_id: Mapped[int | None] = mapped_column(
        ForeignKey("doi_deposits.id", ondelete="SET NULL")
    )
    registered_at: Mapped[dt.datetime | None]
    metadata_checked_at: Mapped[dt.datetime | None]
    metadata_mismatch: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list[DoiEvent]] = relationship(
        back_populates="record", order_by="DoiEvent.id", cascade="all, delete-orphan"
    )


class DoiEvent(Base):
    """The history of one DOI: each state it passed through, with Crossref's words."""

    __tablename__ = "doi_events"
    __table_args__ = (Index("ix_doi_events_record", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("doi_records.id", ondelete="CASCADE"))
    deposit_id: Mapped[int | None] = mapped_column(
        ForeignKey("doi_deposits.id", ondelete="SET NULL")
    )
    state: Mapped[DoiState] = mapped_column(str_enum(DoiState))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    record: Mapped[DoiRecord] = relationship(back_populates="events")
