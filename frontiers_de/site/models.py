"""The journal's own pages: the policies under ``/about`` (one row per page and language,
written by the admin) and the editors' announcements (news posts with a feed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import Base, utcnow


class JournalPage(Base):
    """The admin's text of one ``/about`` page in one interface language. A page with no
    row in the reader's language shows the shipped default (``site.pages``)."""

    __tablename__ = "journal_pages"
    __table_args__ = (UniqueConstraint("journal_id", "slug", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown (CommonMark, raw HTML not allowed)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User | None] = relationship()


class Announcement(Base):
    """A news post by an editor: shown on the home page and ``/news`` and in its feed once
    ``published_at`` has passed; a withdrawn post (``withdrawn_at``) is shown nowhere."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_journal_published", "journal_id", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(10))  # the language it is written in
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # Markdown, as the pages
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]

    author: Mapped[User | None] = relationship()
