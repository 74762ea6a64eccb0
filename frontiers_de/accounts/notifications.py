"""The emails of the accounts domain: address verification, password reset (and the first
password of an account an administrator made), and a change of address (the link to the
new address, the notice to the old one).

Each is a subscriber of an event of :mod:`frontiers_de.accounts.events` (registered in
``subscribers.py``): the mail goes into the outbox in the announcing transaction, and is
delivered after it commits. Links are built by the route mapper under ``fde.base_url``
(:func:`frontiers_de.mail.links.email_url`), never from a request. The recipient's
preferred language picks the template variant (``body.zh.txt`` for Chinese).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pyramid.i18n import TranslationString, make_localizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import package_files
from frontiers_de.accounts.events import (
    EmailChanged,
    EmailChangeRequested,
    LinkIssued,
    PasswordResetRequested,
    SetPasswordRequested,
    VerificationRequested,
)
from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import NEEDS_CONFIRMED, UNCONFIRMED_MAY
from frontiers_de.accounts.tokens import MAX_AGE, TokenPurpose
from frontiers_de.config import SiteSettings
from frontiers_de.i18n import TRANSLATION_DIRS
from frontiers_de.journals.models import Journal
from frontiers_de.mail.links import email_url
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.mail.services import send_email, settings_of

# At most this many emails of one kind to one account per window: the forms can be sent by
# anyone, and must not become a way to flood someone's inbox.
MAX_EMAILS_PER_WINDOW = 3
EMAIL_WINDOW = dt.timedelta(hours=1)


def recently_sent(db: Session, template: str, address: str) -> int:
    """How many ``template`` emails went to ``address`` within the window."""
    since = dt.datetime.now(dt.UTC) - EMAIL_WINDOW
    rows = db.scalars(
        select(OutboxEmail.recipients).where(
            OutboxEmail.template == template, OutboxEmail.created_at > since
        )
    )
    wanted = address.casefold()
    return sum(1 for recipients in rows if any(wanted in r.casefold() for r in recipients))


def _hours(purpose: TokenPurpose) -> int:
    return int(MAX_AGE[purpose].total_seconds() // 3600)


def _in_language(lang: str, messages: Any) -> list[str]:
    """``messages`` in the recipient's language (not the language of the page that sent
    the email, which may be someone else's)."""
    localizer = make_localizer(lang, [str(package_files.directory(d)) for d in TRANSLATION_DIRS])
    return [localizer.translate(m) for m in messages]


def unconfirmed_rule_lists(lang: str) -> dict[str, list[str]]:
    """What an unconfirmed account may do and what needs the confirmed address, from the
    one rule (``accounts.services``), for the verification email."""
    before: list[TranslationString] = list(UNCONFIRMED_MAY.values())
    after: list[TranslationString] = list(NEEDS_CONFIRMED.values())
    return {
        "before_confirming": _in_language(lang, before),
        "needs_confirming": _in_language(lang, after),
    }


def _site_journal(db: Session, settings: Mapping[str, Any]) -> Journal | None:
    """The journal the site serves (``request.journal`` of the account pages)."""
    code = SiteSettings.of(settings).default_journal
    return db.scalar(select(Journal).where(Journal.code == code))


def _send(
    event: Any, template: str, to: str, user: User, context: dict[str, Any], throttled: bool
) -> Any:
    """Queue ``template`` to ``to`` (unless ``throttled`` and too many went there within
    the window); the email, also put in a link event's ``queued``."""
    db, settings = event.db, settings_of(event)
    if throttled and recently_sent(db, template, to) >= MAX_EMAILS_PER_WINDOW:
        return None
    row = send_email(
        db,
        settings,
        template,
        [to],
        {"lang": user.preferred_language, "name": user.display_name, **context},
        journal=_site_journal(db, settings),
    )
    if row is not None and isinstance(event, LinkIssued):
        event.queued.append(row)
    return row


def send_verification(event: VerificationRequested) -> None:
    """Email the user a link that verifies their address (not when too many went)."""
    user = event.user
    _send(
        event,
        "accounts_verify",
        user.email,
        user,
        {
            "verify_url": email_url(settings_of(event), "accounts.verify", token=event.token),
            "valid_hours": _hours(TokenPurpose.VERIFY_EMAIL),
            **unconfirmed_rule_lists(user.preferred_language),
        },
        throttled=True,
    )


def send_password_reset(event: PasswordResetRequested) -> None:
    """Email the user a link to set a new password (not when too many went)."""
    _send(
        event,
        "accounts_reset",
        event.user.email,
        event.user,
        {
            "reset_url": email_url(settings_of(event), "accounts.reset", token=event.token),
            "valid_hours": _hours(TokenPurpose.RESET_PASSWORD),
        },
        throttled=True,
    )


def send_set_password(event: SetPasswordRequested) -> None:
    """Email the user of an account made without a password the link to choose one."""
    link = email_url(settings_of(event), "accounts.reset", token=event.token)
    _send(
        event,
        "accounts_set_password",
        event.user.email,
        event.user,
        {"set_password_url": link},
        throttled=False,
    )


def send_email_change(event: EmailChangeRequested) -> None:
    """Email the link that confirms the user's pending address, to that address (not when
    too many went to it)."""
    user = event.user
    new_email = user.pending_email
    assert new_email is not None
    _send(
        event,
        "accounts_change_email",
        new_email,
        user,
        {
            "old_email": user.email,
            "new_email": new_email,
            "confirm_url": email_url(
                settings_of(event), "accounts.email_confirm", token=event.token
            ),
            "valid_hours": _hours(TokenPurpose.CHANGE_EMAIL),
        },
        throttled=True,
    )


def send_email_changed_notice(event: EmailChanged) -> None:
    """Tell the old address that the account now uses ``user.email``: only an address that
    was proven to be the user's hears of the change (an address mistyped at registration
    may be a stranger's, who must not learn the new one)."""
    if not event.old_verified:
        return
    _send(
        event,
        "accounts_email_changed",
        event.old_email,
        event.user,
        {
            "old_email": event.old_email,
            "new_email": event.user.email,
            "site_url": email_url(settings_of(event), "home"),
        },
        throttled=False,
    )
