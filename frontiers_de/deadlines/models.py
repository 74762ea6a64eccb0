"""The journal's deadline rules, and the reminders and escalations already sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_list


class DeadlineRule(Base):
    """How long one kind of deadline runs in a journal, when to remind the person it falls
    to, and when to tell the editor-in-chief (:mod:`frontiers_de.deadlines.rules`)."""

    __tablename__ = "deadline_rules"
    __table_args__ = (UniqueConstraint("journal_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    period_days: Mapped[int]
    # Days before the due date to remind (e.g. [7, 1]), and days after it (e.g. [0, 7]).
    remind_before: Mapped[list[Any]] = mapped_column(default=json_default_list)
    remind_after: Mapped[list[Any]] = mapped_column(default=json_default_list)
    # Days overdue at which the editor-in-chief is told; None: never.
    escalate_after: Mapped[int | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DeadlineNotice(Base):
    """One reminder or escalation sent for one deadline: the row is what makes each one go
    out once. A deadline is its kind, its item (an assignment, a round, a decision, a
    proof) and its due date, so a later due date is reminded of in its turn."""

    __tablename__ = "deadline_notices"
    __table_args__ = (UniqueConstraint("kind", "item_id", "due_on", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int]
    due_on: Mapped[dt.date] = mapped_column(Date)
    # "before:3", "after:0" (reminders) or "escalate".
    stage: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
