"""Users and their per-journal roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontiers_de.db.meta import Base, utcnow
from frontiers_de.db.types import json_default_list, str_enum
from frontiers_de.security.roles import Role


def email_key(email: str) -> str:
    """The form under which email addresses are unique: case and outer spaces ignored."""
    return email.strip().casefold()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # Unique without regard to case: the casefolded address carries the constraint.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    email_verified_at: Mapped[dt.datetime | None]
    # A new address the user asked for: it replaces ``email`` only once the link sent to it
    # is opened (``AccountService.confirm_email_change``); until then the old one is used.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    pending_email_requested_at: Mapped[dt.datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(255))
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    native_name: Mapped[str] = mapped_column(String(200), default="")
    orcid: Mapped[str | None] = mapped_column(String(19))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    ror_id: Mapped[str] = mapped_column(String(60), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    # What the person researches, in their words (a short list, like keywords): what the
    # reviewer finder matches against a submission (``accounts.forms.check_interests``).
    # JSONB on PostgreSQL: plain json has no equality, and queries that select users
    # DISTINCT (the editors of a journal, the people of a discussion) compare every column.
    research_interests: Mapped[list[Any]] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=json_default_list
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Bumped when the password changes, so older reset links and sessions stop working.
    security_stamp: Mapped[int] = mapped_column(default=0)

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleAssignment.user_id"
    )

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        return name or self.email

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def roles_in(self, journal_id: int) -> set[Role]:
        return {r.role for r in self.roles if r.journal_id == journal_id}


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "journal_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])


class LoginAttempt(Base):
    """Failed sign-ins, kept to throttle password guessing per account and client."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "email_key", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(254))
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The client that failed, as counted (security.client.client_key): the IPv4 address,
    # the IPv6 /64 network, or "unknown". Failures count per account and client together.
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
