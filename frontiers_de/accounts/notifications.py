"""The emails of the accounts domain: address verification and password reset.

They go through the mail domain's outbox (``send_template``): written in the request's
transaction, delivered after it commits. The recipient's preferred language picks the
template variant (``body.zh.txt`` for Chinese).
"""

from __future__ import annotations

from typing import Any

from pyramid.request import Request

from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import AccountService
from frontiers_de.accounts.tokens import MAX_AGE, TokenPurpose


def _hours(purpose: TokenPurpose) -> int:
    return int(MAX_AGE[purpose].total_seconds() // 3600)


def send_verification(request: Request, accounts: AccountService, user: User) -> Any:
    """Email ``user`` a link that verifies their address."""
    from frontiers_de.mail.services import send_template

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
    """Email ``user`` a link to set a new password."""
    from frontiers_de.mail.services import send_template

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
