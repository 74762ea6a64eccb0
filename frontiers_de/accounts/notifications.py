"""The emails of the accounts domain: address verification, password reset, and a change
of address (the link to the new address, the notice to the old one).

They go through the mail domain's outbox (``send_template``): written in the request's
transaction, delivered after it commits. The recipient's preferred language picks the
template variant (``body.zh.txt`` for Chinese).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyramid.i18n import TranslationString, make_localizer
from pyramid.interfaces import ITranslationDirectories
from pyramid.request import Request
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import NEEDS_CONFIRMED, UNCONFIRMED_MAY, AccountService
from frontiers_de.accounts.tokens import MAX_AGE, TokenPurpose

# At most this many emails of one kind to one account per window: the forms can be sent by
# anyone, and must not become a way to flood someone's inbox.
MAX_EMAILS_PER_WINDOW = 3
EMAIL_WINDOW = dt.timedelta(hours=1)


def recently_sent(request: Request, template: str, address: str) -> int:
    """How many ``template`` emails went to ``address`` within the window."""
    from frontiers_de.mail.models import OutboxEmail

    since = dt.datetime.now(dt.UTC) - EMAIL_WINDOW
    rows = request.db.scalars(
        select(OutboxEmail.recipients).where(
            OutboxEmail.template == template, OutboxEmail.created_at > since
        )
    )
    wanted = address.casefold()
    return sum(1 for recipients in rows if any(wanted in r.casefold() for r in recipients))


def _hours(purpose: TokenPurpose) -> int:
    return int(MAX_AGE[purpose].total_seconds() // 3600)


def _in_language(request: Request, lang: str, messages: Any) -> list[str]:
    """``messages`` in the recipient's language (not the language of the page that sent
    the email, which may be someone else's)."""
    dirs = request.registry.queryUtility(ITranslationDirectories, default=[])
    localizer = make_localizer(lang, dirs)
    return [localizer.translate(m) for m in messages]


def unconfirmed_rule_lists(request: Request, lang: str) -> dict[str, list[str]]:
    """What an unconfirmed account may do and what needs the confirmed address, from the
    one rule (``accounts.services``), for the verification email."""
    before: list[TranslationString] = list(UNCONFIRMED_MAY.values())
    after: list[TranslationString] = list(NEEDS_CONFIRMED.values())
    return {
        "before_confirming": _in_language(request, lang, before),
        "needs_confirming": _in_language(request, lang, after),
    }


def send_verification(request: Request, accounts: AccountService, user: User) -> Any:
    """Email ``user`` a link that verifies their address (None: too many sent already)."""
    from frontiers_de.mail.services import send_template

    if recently_sent(request, "accounts_verify", user.email) >= MAX_EMAILS_PER_WINDOW:
        return None
    token = accounts.verification_token(user)
    return send_template(
        request,
        "accounts_verify",
        [user.email],
        {
            "lang": user.preferred_language,
            "name": user.display_name,
            "verify_url": request.email_url("accounts.verify", token=token),
            "valid_hours": _hours(TokenPurpose.VERIFY_EMAIL),
            **unconfirmed_rule_lists(request, user.preferred_language),
        },
        journal=request.journal,
    )


def send_password_reset(request: Request, accounts: AccountService, user: User) -> Any:
    """Email ``user`` a link to set a new password (None: too many sent already)."""
    from frontiers_de.mail.services import send_template

    if recently_sent(request, "accounts_reset", user.email) >= MAX_EMAILS_PER_WINDOW:
        return None
    token = accounts.reset_token(user)
    return send_template(
        request,
        "accounts_reset",
        [user.email],
        {
            "lang": user.preferred_language,
            "name": user.display_name,
            "reset_url": request.email_url("accounts.reset", token=token),
            "valid_hours": _hours(TokenPurpose.RESET_PASSWORD),
        },
        journal=request.journal,
    )


def send_email_change(request: Request, accounts: AccountService, user: User) -> Any:
    """Email the link that confirms ``user``'s pending address, to that address (None:
    too many sent to it already)."""
    from frontiers_de.mail.services import send_template

    new_email = user.pending_email
    assert new_email is not None
    if recently_sent(request, "accounts_change_email", new_email) >= MAX_EMAILS_PER_WINDOW:
        return None
    token = accounts.email_change_token(user)
    return send_template(
        request,
        "accounts_change_email",
        [new_email],
        {
            "lang": user.preferred_language,
            "name": user.display_name,
            "old_email": user.email,
            "new_email": new_email,
            "confirm_url": request.email_url("accounts.email_confirm", token=token),
            "valid_hours": _hours(TokenPurpose.CHANGE_EMAIL),
        },
        journal=request.journal,
    )


def send_email_changed_notice(request: Request, user: User, old_email: str) -> Any:
    """Tell the old address that the account now uses ``user.email``."""
    from frontiers_de.mail.services import send_template

    return send_template(
        request,
        "accounts_email_changed",
        [old_email],
        {
            "lang": user.preferred_language,
            "name": user.display_name,
            "old_email": old_email,
            "new_email": user.email,
            "site_url": request.email_url("home"),
        },
        journal=request.journal,
    )
