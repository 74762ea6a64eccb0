"""The events of the accounts domain (see :mod:`frontiers_de.events`).

Each is announced by :class:`~frontiers_de.accounts.services.AccountService` when it issues
a link that only the holder of an address may use, or when an address changed; the
accounts domain's subscribers (:mod:`frontiers_de.accounts.notifications`) email it.

A link event carries the token the link is made of and ``queued``, where the subscriber
puts the email it queued: the account pages tell the user whether a link went out (none
does when too many were sent to the address within the hour), and the service returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from frontiers_de.accounts.models import User
from frontiers_de.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class LinkIssued(DomainEvent):
    """A link for ``user`` (made of ``token``) is to be emailed."""

    user: User
    token: str
    queued: list[Any] = field(default_factory=list, compare=False)


@dataclass(frozen=True, kw_only=True)
class VerificationRequested(LinkIssued):
    """The link that confirms ``user``'s address (after registering, or asked again)."""


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(LinkIssued):
    """The link to choose a new password, asked for by someone who gave the address."""


@dataclass(frozen=True, kw_only=True)
class SetPasswordRequested(LinkIssued):
    """The link to choose a first password, for an account an administrator made."""


@dataclass(frozen=True, kw_only=True)
class EmailChangeRequested(LinkIssued):
    """The link that confirms ``user.pending_email``, to be sent to that address."""


@dataclass(frozen=True, kw_only=True)
class EmailChanged(DomainEvent):
    """``user`` now uses ``user.email`` instead of ``old_email``; ``old_verified``: the old
    address had been confirmed (only then is it told)."""

    user: User
    old_email: str
    old_verified: bool
