"""Submissions, their contributors, funding, and manuscript files."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_dict, json_default_list, str_enum


class SubmissionState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    REVISION_REQUESTED = "revision_requested"
    ACCEPTED = "accepted"
    IN_PRODUCTION = "in_production"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CORRECTED = "corrected"
    RETRACTED = "retracted"


class ReviewMode(enum.StrEnum):
    SINGLE_ANONYMOUS = "single_anonymous"
    DOUBLE_ANONYMOUS = "double_anonymous"
    OPEN = "open"


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_journal_state", "journal_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="RESTRICT"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    submitter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    handling_editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    state: Mapped[SubmissionState] = mapped_column(
        str_enum(SubmissionState), default=SubmissionState.DRAFT
    )
    review_mode: Mapped[ReviewMode] = mapped_column(
        str_enum(ReviewMode), default=ReviewMode.SINGLE_ANONYMOUS
    )
    language: Mapped[str] = mapped_column(String(10), default="en")
    title: Mapped[str] = mapped_column(Text, default="")
    subtitle: Mapped[str] = mapped_column(Text, default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[Any]] = mapped_column(default=json_default_list)
    # Titles, abstracts and keywords in other languages: {"zh": {"title": …, "abstract": …,
    # "keywords": […]}}.
    translations: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)
    cover_letter: Mapped[str] = mapped_column(Text, default="")
    acknowledgements: Mapped[str] = mapped_column(Text, default="")
    data_availability: Mapped[str] = mapped_column(Text, default="")
    competing_interests: Mapped[str] = mapped_column(Text, default="")
    doi: Mapped[str | None] = mapped_column(String(200), unique=True)
    doi_number: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    # Optimistic locking: a save based on an older version fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    contributors: Mapped[list[Contributor]] = relationship(
        back_populates="submission", order_by="Contributor.position", cascade="all, delete-orphan"
    )
    funding: Mapped[list[Funding]] = relationship(
        back_populates="submission", order_by="Funding.position", cascade="all, delete-orphan"
    )
    files: Mapped[list[ManuscriptFile]] = relationship(
        back_populates="submission", order_by="ManuscriptFile.id", cascade="all, delete-orphan"
    )
    reviewer_suggestions: Mapped[list[ReviewerSuggestion]] = relationship(
        back_populates="submission",
        order_by="ReviewerSuggestion.id",
        cascade="all, delete-orphan",
    )


class Contributor(Base):
    __tablename__ = "contributors"
    __table_args__ = (UniqueConstraint("submission_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    native_name: Mapped[str] = mapped_column(String(200), default="")
    native_name_lang: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    orcid: Mapped[str | None] = mapped_column(String(19))
    # [{"name": …, "ror": "https://ror.org/…", "country": "CN", "department": …}]
    affiliations: Mapped[list[Any]] = mapped_column(default=json_default_list)
    credit_roles: Mapped[list[Any]] = mapped_column(default=json_default_list)
    is_corresponding: Mapped[bool] = mapped_column(default=False)

    submission: Mapped[Submission] = relationship(back_populates="contributors")


class Funding(Base):
    __tablename__ = "funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    funder_name: Mapped[str] = mapped_column(String(300))
    funder_doi: Mapped[str] = mapped_column(String(200), default="")
    award_ids: Mapped[list[Any]] = mapped_column(default=json_default_list)

    submission: Mapped[Submission] = relationship(back_populates="funding")


class FileKind(enum.StrEnum):
    MANUSCRIPT = "manuscript"
    ANONYMISED_MANUSCRIPT = "anonymised_manuscript"
    FIGURE = "figure"
    SUPPLEMENTARY = "supplementary"
    COVER_LETTER = "cover_letter"
    RESPONSE_TO_REVIEWERS = "response_to_reviewers"
    REVIEW_ATTACHMENT = "review_attachment"
    # The reviewer copies of a figure, supplementary file or response, hidden names removed
    # (the manuscript's is ANONYMISED_MANUSCRIPT); ManuscriptFile.source_id names the original.
    ANONYMISED_FIGURE = "anonymised_figure"
    ANONYMISED_SUPPLEMENTARY = "anonymised_supplementary"
    ANONYMISED_RESPONSE = "anonymised_response"
    JATS = "jats"
    PROOF_PDF = "proof_pdf"
    FINAL_PDF = "final_pdf"


class ManuscriptFile(Base):
    """An uploaded file. Immutable: a new upload is a new row; the bytes are stored once
    under their SHA-256 (content-addressed), however many rows point at them."""

    __tablename__ = "manuscript_files"
    __table_args__ = (Index("ix_manuscript_files_sub_round", "submission_id", "round_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    round_number: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FileKind] = mapped_column(str_enum(FileKind))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A reviewer copy points at the author's original it was made from.
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("manuscript_files.id", ondelete="CASCADE"), index=True
    )
    # For a reviewer copy: {"removed": [...], "warnings": [...], "cleaned": bool}, what the
    # anonymiser took out and what it could not check (the editor's report).
    anonymisation: Mapped[dict[str, Any]] = mapped_column(default=json_default_dict)

    submission: Mapped[Submission] = relationship(back_populates="files")


class FigureDescription(Base):
    """The author's description of one uploaded figure file, written at submission: alt
    text and a long description for readers who cannot see the image. The conversion copies
    it into the JATS figure that uses the file (``production/figures.py``), where production
    editors keep it up."""

    __tablename__ = "figure_descriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(
        ForeignKey("manuscript_files.id", ondelete="CASCADE"), unique=True
    )
    alt_text: Mapped[str] = mapped_column(Text, default="")
    long_desc: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SuggestionKind(enum.StrEnum):
    SUGGESTED = "suggested"
    OPPOSED = "opposed"


class ReviewerSuggestion(Base):
    """A reviewer the authors suggest, or one they oppose (with their reason), given in the
    submission form. Shown to the paper's editors beside the reviewer finder's suggestions;
    never to reviewers."""

    __tablename__ = "reviewer_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    kind: Mapped[SuggestionKind] = mapped_column(str_enum(SuggestionKind))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="reviewer_suggestions")
