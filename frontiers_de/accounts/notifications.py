"""The emails of the accounts domain: address verification and password reset.

They go through the mail domain's outbox (``send_template``): written in the request's
transaction, delivered after it commits. The recipient's preferred language picks the
template variant (``body.zh.txt`` for Chinese).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyramid.request import Request
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import AccountService
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
            "verify_url": request.route_url("accounts.verify", token=token),
            "valid_hours": _hours(TokenPurpose.VERIFY_EMAIL),
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
            "reset_url": request.route_url("accounts.reset", token=token),
            "valid_hours": _hours(TokenPurpose.RESET_PASSWORD),
        },
        journal=request.journal,
    )
