"""A visible record of each background job: users see queued/running/failed/done."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_dict, str_enum


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FAILED = "failed"
    DONE = "done"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int | None] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))  # e.g. "typeset", "doi_deposit"
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None]
    state: Mapped[JobState] = mapped_column(str_enum(JobState), default=JobState.QUEUED)
    error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
