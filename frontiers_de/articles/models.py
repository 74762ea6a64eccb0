"""The articles domain's records: volumes, issues and articles. Production writes them,
the reader site (``publishing``) reads them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import str_enum


class Volume(Base):
    __tablename__ = "volumes"
    __table_args__ = (UniqueConstraint("journal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    number: Mapped[int]
    year: Mapped[int]

    issues: Mapped[list[Issue]] = relationship(back_populates="volume", order_by="Issue.number")


class IssueState(enum.StrEnum):
    PLANNED = "planned"
    PUBLISHED = "published"


class Issue(Base):
    __tablename__ = "issues"
    __table_args__ = (UniqueConstraint("volume_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300), default="")
    # The cover text: what the issue is about, shown above its table of contents.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The cover image (stored by content hash in the file storage) and its media type.
    cover_sha256: Mapped[str | None] = mapped_column(String(64))
    cover_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    state: Mapped[IssueState] = mapped_column(str_enum(IssueState), default=IssueState.PLANNED)
    published_at: Mapped[dt.datetime | None]

    volume: Mapped[Volume] = relationship(back_populates="issues")
    articles: Mapped[list[Article]] = relationship(
        back_populates="issue", order_by="Article.position"
    )


class ArticleState(enum.StrEnum):
    IN_PRODUCTION = "in_production"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CORRECTED = "corrected"
    RETRACTED = "retracted"


class Article(Base):
    """The work as production makes it and readers get it. Its JATS is the single source:
    the HTML and the PDF are made from it and can be rebuilt at any time."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="RESTRICT"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), unique=True
    )
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[ArticleState] = mapped_column(
        str_enum(ArticleState), default=ArticleState.IN_PRODUCTION
    )
    doi: Mapped[str | None] = mapped_column(String(200), unique=True)
    elocation_id: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    jats_xml: Mapped[str | None] = mapped_column(Text)
    jats_updated_at: Mapped[dt.datetime | None]
    html: Mapped[str | None] = mapped_column(Text)
    # The rendering that made ``html`` (production.jats.html.rendering_version): older HTML
    # is made again from the JATS when the article is next shown, or by ``fde initdb``.
    html_version: Mapped[str | None] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_pages: Mapped[int | None]
    published_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    issue: Mapped[Issue | None] = relationship(back_populates="articles")
