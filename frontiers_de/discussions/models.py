"""Discussions on a submission: threads of messages between its editors and its authors,
its editors and one reviewer (a thread belongs to one review assignment), or its editors
alone; files attached to messages; how far each participant has read."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import str_enum


class ThreadKind(enum.StrEnum):
    AUTHORS = "authors"  # the editors and the paper's authors
    REVIEWER = "reviewer"  # the editors and the reviewer of one assignment
    EDITORS = "editors"  # notes the editors keep among themselves


class Seat(enum.StrEnum):
    """In which capacity someone takes part in a paper's discussions (a message keeps the
    seat it was written from, so names are shown by what the poster was then)."""

    EDITOR = "editor"
    AUTHOR = "author"
    REVIEWER = "reviewer"


class DiscussionThread(Base):
    __tablename__ = "discussion_threads"
    __table_args__ = (Index("ix_discussion_threads_submission", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    kind: Mapped[ThreadKind] = mapped_column(str_enum(ThreadKind, 16))
    # The review assignment of a reviewer thread (None for the other kinds).
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_assignments.id", ondelete="CASCADE")
    )
    subject: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    messages: Mapped[list[DiscussionMessage]] = relationship(
        back_populates="thread", order_by="DiscussionMessage.id", cascade="all, delete-orphan"
    )


class DiscussionMessage(Base):
    __tablename__ = "discussion_messages"
    __table_args__ = (Index("ix_discussion_messages_thread", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    seat: Mapped[Seat] = mapped_column(str_enum(Seat, 16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    thread: Mapped[DiscussionThread] = relationship(back_populates="messages")
    attachments: Mapped[list[DiscussionAttachment]] = relationship(
        back_populates="message", order_by="DiscussionAttachment.id", cascade="all, delete-orphan"
    )


class DiscussionAttachment(Base):
    """A file attached to a message: stored by content (``frontiers_de.storage``), its type
    the one its checked suffix stands for (never what the browser claimed)."""

    __tablename__ = "discussion_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_messages.id", ondelete="CASCADE")
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    message: Mapped[DiscussionMessage] = relationship(back_populates="attachments")


class DiscussionRead(Base):
    """The newest message of a thread a user has seen: what is newer is unread to them."""

    __tablename__ = "discussion_reads"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    last_message_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
