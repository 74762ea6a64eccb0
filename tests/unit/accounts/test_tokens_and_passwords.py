"""Tokens (signature, purpose, expiry) and the password rules, without a database."""

from __future__ import annotations

import time

import pytest

from frontiers_de.accounts.passwords import make_password_hasher, password_problem, verify_password
from frontiers_de.accounts.tokens import TokenError, TokenPurpose, TokenSigner

SECRET = "unit-test-secret-0123456789"


def test_token_round_trip():
    signer = TokenSigner(SECRET)
    token = signer.make(TokenPurpose.RESET_PASSWORD, {"u": 7, "s": 2})
    assert signer.read(TokenPurpose.RESET_PASSWORD, token) == {"u": 7, "s": 2}


@pytest.mark.parametrize(
    ("token_of", "reason"),
    [
        (
            lambda s: TokenSigner("some-other-secret-0123").make(TokenPurpose.VERIFY_EMAIL, {}),
            "invalid",
        ),
        (lambda s: s.make(TokenPurpose.RESET_PASSWORD, {"u": 1}), "invalid"),  # wrong purpose
        (lambda s: s.make(TokenPurpose.VERIFY_EMAIL, {"u": 1})[:-2] + "xx", "invalid"),
        (lambda s: "", "invalid"),
        (lambda s: "é" * 10, "invalid"),
        (lambda s: "a" * 600, "invalid"),
        (
            lambda s: TokenSigner(SECRET, clock=lambda: time.time() - 4 * 86400).make(
                TokenPurpose.VERIFY_EMAIL, {"u": 1}
            ),
            "expired",
        ),
    ],
)
def test_bad_tokens(token_of, reason):
    signer = TokenSigner(SECRET)
    with pytest.raises(TokenError) as err:
        signer.read(TokenPurpose.VERIFY_EMAIL, token_of(signer))
    assert err.value.reason == reason


def test_short_secret_is_refused():
    with pytest.raises(ValueError, match="token_secret"):
        TokenSigner("short")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short", "at least 10"),
        ("x" * 257, "too long"),
        ("31415926535", "only of digits"),
        ("zzzzzzzzzzzz", "one repeated character"),
        ("QwertyUIOP", "most common"),
        ("ada@example.org", "not be your email"),
    ],
)
def test_password_rules(password, fragment):
    problem = password_problem(password, email="Ada@example.org")
    assert problem is not None and fragment in problem.interpolate()


@pytest.mark.parametrize("password", ["a quiet harbour", "xy" * 128, "密码安全又好记的一句话"])
def test_acceptable_passwords(password):
    assert password_problem(password) is None


def test_hasher_parameters_from_settings_and_damaged_hashes():
    hasher = make_password_hasher(
        {
            "fde.argon2.time_cost": "1",
            "fde.argon2.memory_cost": "1024",
            "fde.argon2.parallelism": "1",
        }
    )
    digest = hasher.hash("a quiet harbour")
    assert "m=1024,t=1,p=1" in digest
    assert verify_password(hasher, digest, "a quiet harbour")
    assert not verify_password(hasher, digest, "a loud harbour")
    assert not verify_password(hasher, "not-a-hash", "a quiet harbour")
    assert not verify_password(hasher, None, "a quiet harbour")


def test_app_refuses_to_start_without_a_token_secret(app_settings):
    from frontiers_de import main

    with pytest.raises(ValueError, match="FDE_TOKEN_SECRET"):
        main({}, **{**app_settings, "fde.token_secret": "short"})
