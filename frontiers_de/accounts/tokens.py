"""Signed, expiring, purpose-bound tokens for the links sent by email.

A token is an itsdangerous signature over a small payload, with the purpose in the salt: a
password-reset token cannot verify an address and a verification token cannot reset a
password, because their signatures do not match. Tokens are single-use where it matters by
carrying the user's ``security_stamp``: setting a new password bumps the stamp, so every reset
link issued before (and every session) stops working.
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections.abc import Callable
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

# Far longer than any token we issue; longer input is refused before any work is done.
MAX_TOKEN_LENGTH = 512


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"
    CHANGE_EMAIL = "change-email"


# How long a link stays valid after it was sent.
MAX_AGE: dict[TokenPurpose, dt.timedelta] = {
    TokenPurpose.VERIFY_EMAIL: dt.timedelta(days=3),
    TokenPurpose.RESET_PASSWORD: dt.timedelta(hours=2),
    TokenPurpose.CHANGE_EMAIL: dt.timedelta(hours=24),
}


class TokenError(Exception):
    """A token that cannot be used; ``reason`` is ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenSigner:
    """Makes and reads the tokens of one installation (secret ``fde.token_secret``)."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("fde.token_secret (FDE_TOKEN_SECRET) must be at least 16 characters")
        self._secret = secret

        # The clock is a parameter so that tests can issue a token in the past.
        class _Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self._signer_class = _Signer

    def _serializer(self, purpose: TokenPurpose) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            self._secret, salt=f"fde.accounts.{purpose.value}", signer=self._signer_class
        )

    def make(self, purpose: TokenPurpose, payload: dict[str, Any]) -> str:
        return str(self._serializer(purpose).dumps(payload))

    def read(
        self, purpose: TokenPurpose, token: str, max_age: dt.timedelta | None = None
    ) -> dict[str, Any]:
        """The payload of a genuine, unexpired token for ``purpose``; TokenError otherwise."""
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            raise TokenError("invalid")
        age = max_age if max_age is not None else MAX_AGE[purpose]
        try:
            payload = self._serializer(purpose).loads(token, max_age=int(age.total_seconds()))
        except SignatureExpired as exc:
            raise TokenError("expired") from exc
        except BadSignature as exc:
            raise TokenError("invalid") from exc
        if not isinstance(payload, dict):
            raise TokenError("invalid")
        return payload
