"""Proofs: a typeset PDF sent to the corresponding author for approval or corrections."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import str_enum


class ProofState(enum.StrEnum):
    SENT = "sent"
    APPROVED = "approved"
    CORRECTIONS_REQUESTED = "corrections_requested"
    SUPERSEDED = "superseded"


class Proof(Base):
    __tablename__ = "proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    # What the author was shown: the JATS the PDF was typeset from, and the same JATS
    # without its placement (articles.placement.content_sha256). None for proofs sent before these
    # were recorded; their approval covers their PDF only.
    jats_sha256: Mapped[str | None] = mapped_column(String(64))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[ProofState] = mapped_column(str_enum(ProofState), default=ProofState.SENT)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    corrections: Mapped[str] = mapped_column(Text, default="")
    sent_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[dt.datetime | None]


class FigureSource(enum.StrEnum):
    """Where a figure's image comes from: the manuscript (the DOCX's own image) or a figure
    file the author uploaded beside it."""

    MANUSCRIPT = "manuscript"
    UPLOAD = "upload"


class FigureChoice(Base):
    """One figure of an article (``<fig id>``): the image the conversion found for it in
    the manuscript, and which image the production editor chose. Without a choice
    (``source`` None) the conversion uses an uploaded file whose name names the figure."""

    __tablename__ = "figure_choices"
    __table_args__ = (UniqueConstraint("article_id", "fig_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    fig_id: Mapped[str] = mapped_column(String(200))
    # The href the manuscript's conversion gave the figure's image (kept as an asset under
    # that name), so that it can be chosen again after an upload replaced it in the JATS.
    manuscript_href: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[FigureSource | None] = mapped_column(str_enum(FigureSource))
    upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("manuscript_files.id", ondelete="SET NULL")
    )
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chosen_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
