"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pyramid.i18n import TranslationString

from frontiers_de.accounts.settings import AccountSettings
from frontiers_de.i18n import _

MIN_LENGTH = 10
# argon2 hashes whatever it is given; a cap keeps a megabyte "password" from costing a
# megabyte of hashing per attempt.
MAX_LENGTH = 256

# Passwords of ten characters or more that head every list of leaked passwords. Anything
# all digits or one repeated character is refused by rule, so those are not listed.
COMMON_PASSWORDS = frozenset(
    {
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "password!1",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "abcdefghij",
        "abc1234567",
        "abcd123456",
        "a123456789",
        "iloveyou12",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "welcome1234",
        "administrator",
        "admin12345",
        "admin123456",
        "changeme123",
        "football123",
        "baseball123",
        "monkey12345",
        "sunshine123",
        "princess123",
        "dragon12345",
        "asdfghjkl1",
        "asdfghjkl123",
        "1234qwerasdf",
        "woaini1314",
        "woaini520",
        "aa123456789",
        "qwe1234567",
        "1234567890a",
        "a1234567890",
    }
)


def password_problem(password: str, email: str = "") -> TranslationString | None:
    """Why ``password`` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Choose a password of at least ${min} characters.", mapping={"min": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        return _(
            "That password is too long: at most ${max} characters.", mapping={"max": MAX_LENGTH}
        )
    if password.isdigit():
        return _("A password made only of digits is too easy to guess; add letters or symbols.")
    if len(set(password)) == 1:
        return _("A password of one repeated character is too easy to guess.")
    lowered = password.casefold()
    if lowered in COMMON_PASSWORDS:
        return _("That password is one of the most common ones; choose another.")
    if email and lowered == email.strip().casefold():
        return _("Your password must not be your email address.")
    return None


# argon2id with 19 MiB, two passes, one lane: the OWASP Password Storage recommendation.
# argon2-cffi's own default (64 MiB, t=3, four lanes) took 0.8 s per hash on the two-core
# machines here under load (bench/bench_accounts.py): too slow for a sign-in, and a cheap way
# to tie up the server. Settings raise it where the hardware allows.
DEFAULT_TIME_COST = AccountSettings.argon2_time_cost
DEFAULT_MEMORY_COST = AccountSettings.argon2_memory_cost  # KiB
DEFAULT_PARALLELISM = AccountSettings.argon2_parallelism


def make_password_hasher(settings: Mapping[str, Any] | None = None) -> PasswordHasher:
    """An argon2id hasher; ``fde.argon2.time_cost`` / ``memory_cost`` (KiB) / ``parallelism``
    tune it. Hashes made with other parameters still verify and are re-hashed on sign-in."""
    accounts = AccountSettings.of(settings)
    return PasswordHasher(
        time_cost=accounts.argon2_time_cost,
        memory_cost=accounts.argon2_memory_cost,
        parallelism=accounts.argon2_parallelism,
    )


def verify_password(hasher: PasswordHasher, password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a missing or damaged hash never matches."""
    if not password_hash:
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
