"""Review rounds, invitations (assignments) and reviews."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_dict, str_enum


class ReviewRound(Base):
    """One ``under_review`` period of a submission."""

    __tablename__ = "review_rounds"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]

    assignments: Mapped[list[ReviewAssignment]] = relationship(
        back_populates="round", order_by="ReviewAssignment.id", cascade="all, delete-orphan"
    )


class AssignmentState(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


class ReviewAssignment(Base):
    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("round_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[AssignmentState] = mapped_column(
        str_enum(AssignmentState), default=AssignmentState.INVITED
    )
    # Only a hash of the invitation token is kept: a leaked table grants nothing.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[dt.datetime | None]
    due_at: Mapped[dt.datetime]
    last_reminded_at: Mapped[dt.datetime | None]
    # Reminders sent to the reviewer (which ones: deadlines.models.DeadlineNotice).
    reminder_count: Mapped[int] = mapped_column(default=0)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # Someone the declining reviewer suggests instead (free text: name, address, why).
    suggested_reviewer: Mapped[str] = mapped_column(Text, default="")
    # The invitation as the editor edited it before it went (empty: the journal's template),
    # with its {{ placeholders }} (the name, the due date, the answer links) left to fill.
    letter_subject: Mapped[str] = mapped_column(Text, default="", server_default="")
    letter_body: Mapped[str] = mapped_column(Text, default="", server_default="")

    round: Mapped[ReviewRound] = relationship(back_populates="assignments")
    review: Mapped[Review | None] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )


class Recommendation(enum.StrEnum):
    ACCEPT = "accept"
    MINOR_REVISION = "minor_revision"
    MAJOR_REVISION = "major_revision"
    REJECT = "reject"


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    # Empty while the review is a draft; required to submit.
    recommendation: Mapped[Recommendation | None] = mapped_column(str_enum(Recommendation))
    # Scores by criterion: {"originality": 4, "rigour": 3, …}
    scores: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)
    comments_to_author: Mapped[str] = mapped_column(Text, default="")
    comments_to_editor: Mapped[str] = mapped_column(Text, default="")
    publish_consent: Mapped[bool] = mapped_column(default=False)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("manuscript_files.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # None while a draft: once set the review is read-only.
    submitted_at: Mapped[dt.datetime | None]

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="review")
