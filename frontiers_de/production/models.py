"""Proofs: a typeset PDF sent to the corresponding author for approval or corrections."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text
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
    # without its placement (services.content_sha256). None for proofs sent before these
    # were recorded; their approval covers their PDF only.
    jats_sha256: Mapped[str | None] = mapped_column(String(64))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[ProofState] = mapped_column(str_enum(ProofState), default=ProofState.SENT)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    corrections: Mapped[str] = mapped_column(Text, default="")
    sent_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[dt.datetime | None]
