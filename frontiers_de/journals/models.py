"""Journals and their sections (article types). Every other table carries its journal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.config import JournalProfile
from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_dict, str_enum
from frontiers_de.submissions.models import ReviewMode


class Journal(Base):
    __tablename__ = "journals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str] = mapped_column(String(120), default="")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    publisher_location: Mapped[str] = mapped_column(String(200), default="")
    issn_print: Mapped[str] = mapped_column(String(9), default="")
    issn_online: Mapped[str] = mapped_column(String(9), default="")
    doi_prefix: Mapped[str] = mapped_column(String(40), default="")
    journal_doi: Mapped[str] = mapped_column(String(200), default="")
    doi_suffix_pattern: Mapped[str] = mapped_column(String(120), default="fde.{year}.{number:04d}")
    licence_url: Mapped[str] = mapped_column(
        String(300), default="https://creativecommons.org/licenses/by/4.0/"
    )
    licence_name: Mapped[str] = mapped_column(
        String(300), default="Creative Commons Attribution 4.0 International (CC BY 4.0)"
    )
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    depositor_name: Mapped[str] = mapped_column(String(200), default="")
    depositor_email: Mapped[str] = mapped_column(String(254), default="")
    registrant: Mapped[str] = mapped_column(String(200), default="")
    abstract_word_limit: Mapped[int] = mapped_column(default=300)
    # Whether the reviewers of a round are sent, with the decision, the other reviewers'
    # comments to the author (never the confidential comments to the editor).
    share_reviews_with_reviewers: Mapped[bool] = mapped_column(default=False)
    # Settings without a column of their own (email template overrides, Crossmark policy …).
    settings: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="journal", order_by="Section.position", cascade="all, delete-orphan"
    )

    def title_in(self, locale: str) -> str:
        """The journal's name in the interface language (its Chinese title when it has one)."""
        return self.title_zh if locale == "zh" and self.title_zh else self.title

    def other_title(self, locale: str) -> tuple[str, str] | None:
        """The journal's name in its other language, with that language, shown beside
        :meth:`title_in` (the English title on a Chinese page and the other way round)."""
        shown = self.title_in(locale)
        if self.title_zh and shown != self.title_zh:
            return self.title_zh, "zh"
        if shown != self.title:
            return self.title, self.language or "en"
        return None

    def profile(self, base_url: str = "") -> JournalProfile:
        """The journal facts the pipeline functions need, from this row."""
        return JournalProfile(
            code=self.code,
            title=self.title,
            abbreviation=self.abbreviation,
            publisher=self.publisher,
            publisher_location=self.publisher_location,
            issn_print=self.issn_print,
            issn_online=self.issn_online,
            doi_prefix=self.doi_prefix,
            journal_doi=self.journal_doi,
            doi_suffix_pattern=self.doi_suffix_pattern,
            licence_url=self.licence_url,
            licence_name=self.licence_name,
            base_url=base_url or JournalProfile.base_url,
            language=self.language,
            depositor_name=self.depositor_name or self.publisher,
            depositor_email=self.depositor_email,
            registrant=self.registrant or self.publisher,
        )


class Section(Base):
    """A section of the journal, which is also the article type (JATS ``article-type``)."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("journal_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    article_type: Mapped[str] = mapped_column(String(60), default="research-article")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    peer_reviewed: Mapped[bool] = mapped_column(default=True)
    # How its papers are reviewed; copied to each submission when it is submitted.
    review_mode: Mapped[ReviewMode] = mapped_column(
        str_enum(ReviewMode), default=ReviewMode.SINGLE_ANONYMOUS
    )

    journal: Mapped[Journal] = relationship(back_populates="sections")

    def name_in(self, locale: str) -> str:
        """The section's name in the interface language (its Chinese name when it has one)."""
        return self.name_zh if locale == "zh" and self.name_zh else self.name
