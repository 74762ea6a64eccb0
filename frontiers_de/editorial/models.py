"""Editorial decisions, the append-only audit trail, the sections each section editor
handles, and the editors' private ratings of reviews."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_dict, str_enum


class DecisionKind(enum.StrEnum):
    DESK_REJECT = "desk_reject"
    ACCEPT = "accept"
    MINOR_REVISION = "minor_revision"
    MAJOR_REVISION = "major_revision"
    REJECT = "reject"


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="SET NULL")
    )
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[DecisionKind] = mapped_column(str_enum(DecisionKind))
    letter: Mapped[str] = mapped_column(Text, default="")
    # Set when the editor wrote the whole email from the journal's template: then ``letter``
    # is its body, sent as it stands; empty for a letter wrapped in the default template.
    letter_subject: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One thing that happened. Rows are only ever added (services never update them)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_submission_at", "submission_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int | None] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EditorSection(Base):
    """A section whose papers a section editor handles (set where the journal's roles are
    managed). A section editor linked to sections sees their papers and those assigned to
    them; one linked to none sees the whole journal, as before sections were split
    (:func:`frontiers_de.editorial.workflow.in_scope`)."""

    __tablename__ = "editor_sections"
    __table_args__ = (UniqueConstraint("user_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewRating(Base):
    """An editor's private rating (1-5) of the review of one assignment, given when reading
    it: the reviewer finder shows each reviewer's mean. Editors' eyes only: never shown to
    the reviewer or the authors. One per assignment; rating again replaces it."""

    __tablename__ = "review_ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    rating: Mapped[int] = mapped_column(SmallInteger)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
