"""The account rules, called directly on a database session (no HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from frontiers_de.accounts.models import LoginAttempt, RoleAssignment, User
from frontiers_de.accounts.services import (
    FAILED_LOGIN_WINDOW,
    AccountError,
    InvalidLink,
    LoginThrottled,
)
from frontiers_de.security.roles import Role
from tests.factories import DEFAULT_PASSWORD, account_service, make_journal, make_user


class Clock:
    """A settable clock for the time-dependent rules."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(dbsession, clock):
    return account_service(dbsession, now=clock)


def test_register_stores_casefolded_key_and_argon2_hash(accounts):
    user = accounts.register("Ada@Example.ORG ", DEFAULT_PASSWORD, given_name="Ada")
    assert user.email == "Ada@Example.ORG"
    assert user.email_key == "ada@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert not user.is_verified


def test_register_refuses_duplicate_in_any_case(accounts, dbsession):
    accounts.register("ada@example.org", DEFAULT_PASSWORD)
    with pytest.raises(AccountError) as err:
        accounts.register("ADA@EXAMPLE.org", DEFAULT_PASSWORD)
    assert err.value.field == "email"
    assert dbsession.scalar(select(func.count(User.id))) == 1


def test_register_refuses_weak_password_before_writing(accounts, dbsession):
    with pytest.raises(AccountError) as err:
        accounts.register("ada@example.org", "1234567890123")
    assert err.value.field == "password"
    assert dbsession.scalar(select(func.count(User.id))) == 0


def test_verify_email_token(accounts):
    user = accounts.register("ada@example.org", DEFAULT_PASSWORD)
    token = accounts.verification_token(user)
    assert accounts.verify_email(token) is user
    assert user.is_verified
    assert accounts.verify_email(token) is user  # again: harmless


def test_verification_token_dies_when_the_address_changes(accounts):
    user = accounts.register("ada@example.org", DEFAULT_PASSWORD)
    token = accounts.verification_token(user)
    user.email, user.email_key = "new@example.org", "new@example.org"
    with pytest.raises(InvalidLink) as err:
        accounts.verify_email(token)
    assert err.value.reason == "used"


def test_tokens_are_purpose_bound(accounts):
    user = accounts.register("ada@example.org", DEFAULT_PASSWORD)
    with pytest.raises(InvalidLink):
        accounts.verify_email(accounts.reset_token(user))
    with pytest.raises(InvalidLink):
        accounts.user_for_reset(accounts.verification_token(user))


def test_authenticate(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org")
    assert accounts.authenticate(" ADA@example.org", DEFAULT_PASSWORD) is user
    assert user.last_login_at is not None


def test_authenticate_unknown_address_and_wrong_password_look_alike(accounts, dbsession):
    make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as unknown:
        accounts.authenticate("nobody@example.org", DEFAULT_PASSWORD)
    with pytest.raises(AccountError) as wrong:
        accounts.authenticate("ada@example.org", "wrong password here")
    assert unknown.value.message == wrong.value.message


def test_inactive_user_cannot_sign_in(accounts, dbsession):
    make_user(dbsession, "ada@example.org", is_active=False)
    with pytest.raises(AccountError):
        accounts.authenticate("ada@example.org", DEFAULT_PASSWORD)


def test_throttle_after_five_failures_then_lifted(accounts, dbsession, clock):
    make_user(dbsession, "ada@example.org")
    for minute in range(5):
        clock.now += dt.timedelta(minutes=1)
        with pytest.raises(AccountError) as err:
            accounts.authenticate("ada@example.org", f"wrong password {minute}")
        assert not isinstance(err.value, LoginThrottled)
    with pytest.raises(LoginThrottled) as err:
        accounts.authenticate("ada@example.org", DEFAULT_PASSWORD)
    # The first failure was four minutes ago: it leaves the window in eleven.
    assert err.value.minutes == 11
    assert dbsession.scalar(select(func.count(LoginAttempt.id))) == 5  # no attempt recorded

    clock.now += FAILED_LOGIN_WINDOW - dt.timedelta(minutes=4)
    assert accounts.authenticate("ada@example.org", DEFAULT_PASSWORD).email == "ada@example.org"
    # Success clears the record.
    assert dbsession.scalar(select(func.count(LoginAttempt.id))) == 0


def test_old_failures_are_dropped(accounts, dbsession, clock):
    make_user(dbsession, "ada@example.org")
    for _ in range(3):
        with pytest.raises(AccountError):
            accounts.authenticate("ada@example.org", "wrong password here")
    clock.now += FAILED_LOGIN_WINDOW + dt.timedelta(seconds=1)
    with pytest.raises(AccountError):
        accounts.authenticate("ada@example.org", "wrong password here")
    assert dbsession.scalar(select(func.count(LoginAttempt.id))) == 1


def test_throttle_counts_unknown_addresses_too(accounts, clock):
    for _ in range(5):
        with pytest.raises(AccountError):
            accounts.authenticate("ghost@example.org", "whatever password")
    with pytest.raises(LoginThrottled):
        accounts.authenticate("GHOST@example.org", "whatever password")


def test_rehash_when_parameters_change(dbsession, clock):
    user = make_user(dbsession, "ada@example.org")  # hashed with the cheap test parameters
    old_hash = user.password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    account_service(dbsession, hasher=stronger, now=clock).authenticate(
        "ada@example.org", DEFAULT_PASSWORD
    )
    assert user.password_hash != old_hash
    assert "m=2048,t=2,p=1" in user.password_hash
    assert not stronger.check_needs_rehash(user.password_hash)


def test_password_reset_is_single_use_and_bumps_the_stamp(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org", verified=False)
    first = accounts.reset_token(user)
    second = accounts.reset_token(user)
    accounts.reset_password(first, "a brand new passphrase")
    assert user.security_stamp == 1
    assert user.is_verified  # the link came by email
    for used in (first, second):
        with pytest.raises(InvalidLink) as err:
            accounts.reset_password(used, "another new passphrase")
        assert err.value.reason == "used"
    assert accounts.authenticate("ada@example.org", "a brand new passphrase") is user


def test_password_reset_refuses_weak_password_and_keeps_the_old(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org")
    old_hash = user.password_hash
    with pytest.raises(AccountError) as err:
        accounts.reset_password(accounts.reset_token(user), "qwertyuiop")
    assert err.value.field == "password"
    assert user.password_hash == old_hash and user.security_stamp == 0


def test_request_password_reset_only_for_active_accounts(accounts, dbsession):
    make_user(dbsession, "ada@example.org")
    make_user(dbsession, "gone@example.org", is_active=False)
    assert accounts.request_password_reset("ADA@example.org") is not None
    assert accounts.request_password_reset("gone@example.org") is None
    assert accounts.request_password_reset("nobody@example.org") is None


def test_update_profile_refuses_orcid_of_another_account(accounts, dbsession):
    make_user(dbsession, "one@example.org", orcid="0000-0002-1825-0097")
    two = make_user(dbsession, "two@example.org")
    with pytest.raises(AccountError) as err:
        accounts.update_profile(two, {"orcid": "0000-0002-1825-0097", "affiliation": "X"})
    assert err.value.field == "orcid"
    assert two.affiliation == ""


def test_search_users_by_email_and_name(accounts, dbsession):
    make_user(dbsession, "ada@example.org", given_name="Ada", family_name="Lovelace")
    make_user(dbsession, "alan@example.org", given_name="Alan", family_name="Turing")
    make_user(dbsession, "wu@example.org", native_name="吳健雄")
    assert [u.email for u in accounts.search_users("LOVE")] == ["ada@example.org"]
    assert [u.email for u in accounts.search_users("alan@")] == ["alan@example.org"]
    assert [u.email for u in accounts.search_users("健")] == ["wu@example.org"]
    assert accounts.search_users("%") == []  # a wildcard is just a character
    assert accounts.search_users("  ") == []


def test_grant_is_idempotent_and_last_admin_stays(accounts, dbsession):
    journal = make_journal(dbsession)
    first = make_user(dbsession, roles=[Role.ADMIN], journal=journal)
    second = make_user(dbsession)
    granted = accounts.grant_role(second, journal.id, "admin", granted_by=first)
    assert accounts.grant_role(second, journal.id, Role.ADMIN) is granted
    accounts.revoke_role(granted)
    assert second.roles_in(journal.id) == set()
    (only,) = first.roles
    with pytest.raises(AccountError):
        accounts.revoke_role(only)
    assert dbsession.scalar(select(func.count(RoleAssignment.id))) == 1


def test_change_password_needs_the_current_one(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as err:
        accounts.change_password(user, "not my password", "a brand new passphrase")
    assert err.value.field == "current_password"
    assert user.security_stamp == 0
    accounts.change_password(user, DEFAULT_PASSWORD, "a brand new passphrase")
    assert user.security_stamp == 1
    assert accounts.authenticate("ada@example.org", "a brand new passphrase") is user


# --- per-client throttling (frontiers_de.throttling) -----------------------------------------


def _tight(dbsession, clock, **limits: str):
    from frontiers_de.throttling.services import ClientThrottle, limits_from_settings

    settings = {f"fde.throttle.{scope}": value for scope, value in limits.items()}
    return account_service(
        dbsession,
        now=clock,
        throttle=ClientThrottle(dbsession, limits_from_settings(settings), clock),
    )


def test_password_spraying_from_one_client_is_throttled(dbsession, clock):
    from frontiers_de.throttling.services import Throttled

    accounts = _tight(dbsession, clock, login="4/15m")
    make_user(dbsession, "victim@example.org")
    # One guess at each of many addresses: no single account reaches its own limit.
    for n in range(4):
        clock.now += dt.timedelta(minutes=1)
        with pytest.raises(AccountError):
            accounts.authenticate(f"user{n}@example.org", "Summer2026!", "198.51.100.7")
    with pytest.raises(Throttled) as err:  # even the right password waits
        accounts.authenticate("victim@example.org", DEFAULT_PASSWORD, "198.51.100.7")
    assert err.value.minutes == 12
    assert dbsession.scalar(select(func.count(LoginAttempt.id))) == 4  # refused: not counted
    # Another client is not held up, and the sprayer may try again once the window passed.
    assert accounts.authenticate("victim@example.org", DEFAULT_PASSWORD, "198.51.100.8")
    clock.now += dt.timedelta(minutes=12)
    assert accounts.authenticate("victim@example.org", DEFAULT_PASSWORD, "198.51.100.7")


def test_successful_sign_ins_do_not_count_against_the_client(dbsession, clock):
    accounts = _tight(dbsession, clock, login="2/15m")
    make_user(dbsession, "ada@example.org")
    for _ in range(10):
        accounts.authenticate("ada@example.org", DEFAULT_PASSWORD, "198.51.100.7")


def test_sign_in_without_a_client_address_is_not_counted_per_client(dbsession, clock):
    accounts = _tight(dbsession, clock, login="1/15m")
    for n in range(3):
        with pytest.raises(AccountError) as err:
            accounts.authenticate(f"user{n}@example.org", "wrong password here")
        assert err.value.field is None  # the ordinary refusal each time


def test_registrations_per_client_are_limited_failures_included(dbsession, clock):
    from frontiers_de.throttling.services import Throttled

    accounts = _tight(dbsession, clock, register="3/1h")
    accounts.register("a@example.org", DEFAULT_PASSWORD, client="198.51.100.7")
    with pytest.raises(AccountError):  # a taken address: counted all the same
        accounts.register("A@example.org", DEFAULT_PASSWORD, client="198.51.100.7")
    accounts.register("b@example.org", DEFAULT_PASSWORD, client="198.51.100.7")
    with pytest.raises(Throttled):
        accounts.register("c@example.org", DEFAULT_PASSWORD, client="198.51.100.7")
    assert accounts.find_by_email("c@example.org") is None
    accounts.register("c@example.org", DEFAULT_PASSWORD, client="198.51.100.9")
    # The command line and seed data create users without a client: never throttled.
    for n in range(5):
        accounts.create_user(f"cli{n}@example.org", DEFAULT_PASSWORD)


def test_password_reset_requests_per_client_are_limited(dbsession, clock):
    from frontiers_de.throttling.services import Throttled

    accounts = _tight(dbsession, clock, password_reset="2/1h")
    make_user(dbsession, "ada@example.org")
    assert accounts.request_password_reset("ada@example.org", client="192.0.2.1") is not None
    assert accounts.request_password_reset("nobody@example.org", client="192.0.2.1") is None
    with pytest.raises(Throttled) as err:
        accounts.request_password_reset("ada@example.org", client="192.0.2.1")
    assert err.value.minutes == 60
    clock.now += dt.timedelta(hours=1, seconds=1)
    assert accounts.request_password_reset("ada@example.org", client="192.0.2.1") is not None


# --- changing the email address -------------------------------------------------------------


def _pending(dbsession, accounts, email="ada@example.org", new="ada.new@example.org"):
    user = make_user(dbsession, email)
    token = accounts.request_email_change(user, new, DEFAULT_PASSWORD)
    return user, token


def test_email_change_waits_for_the_link_then_moves_the_account(accounts, dbsession):
    user, token = _pending(dbsession, accounts, new=" Ada.New@Example.org ")
    assert user.pending_email == "Ada.New@Example.org"
    # Until the link is opened the old address is the account's.
    assert (user.email, user.email_key) == ("ada@example.org", "ada@example.org")
    assert accounts.authenticate("ada@example.org", DEFAULT_PASSWORD) is user
    with pytest.raises(AccountError):
        accounts.authenticate("ada.new@example.org", DEFAULT_PASSWORD)
    reset_token = accounts.reset_token(user)  # sent to the old address before the change
    verify_token = accounts.verification_token(user)
    stamp = user.security_stamp

    changed, old_email, old_verified = accounts.confirm_email_change(token)
    assert changed is user and (old_email, old_verified) == ("ada@example.org", True)
    assert (user.email, user.email_key) == ("Ada.New@Example.org", "ada.new@example.org")
    assert user.is_verified and user.pending_email is None
    assert user.pending_email_requested_at is None
    assert user.security_stamp == stamp + 1  # other sessions and old reset links end
    with pytest.raises(InvalidLink):
        accounts.user_for_reset(reset_token)
    with pytest.raises(InvalidLink):
        accounts.verify_email(verify_token)
    with pytest.raises(InvalidLink):  # once only
        accounts.confirm_email_change(token)
    assert accounts.authenticate("ADA.NEW@example.org", DEFAULT_PASSWORD) is user
    with pytest.raises(AccountError):
        accounts.authenticate("ada@example.org", DEFAULT_PASSWORD)


def test_an_unconfirmed_address_can_be_corrected(accounts, dbsession):
    user = make_user(dbsession, "ada@exmaple.org", verified=False)  # a typo at registration
    token = accounts.request_email_change(user, "ada@example.org", DEFAULT_PASSWORD)
    _, _, old_verified = accounts.confirm_email_change(token)
    assert old_verified is False and user.is_verified


def test_email_change_needs_the_password(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as err:
        accounts.request_email_change(user, "new@example.org", "not my password at all")
    assert err.value.field == "password"
    assert user.pending_email is None
    # Wrong passwords count as failed sign-ins of the account: guessing stops at five.
    for _ in range(4):
        with pytest.raises(AccountError):
            accounts.request_email_change(user, "new@example.org", "not my password at all")
    with pytest.raises(LoginThrottled):
        accounts.request_email_change(user, "new@example.org", DEFAULT_PASSWORD)
    assert user.pending_email is None


def test_an_account_without_a_password_cannot_ask(accounts, dbsession):
    user = make_user(dbsession, "ada@example.org", password=None)
    with pytest.raises(AccountError) as err:
        accounts.request_email_change(user, "new@example.org", "")
    assert err.value.field == "password"


@pytest.mark.parametrize("new", ["ada@example.org", " ADA@Example.ORG "])
def test_the_current_address_is_refused(accounts, dbsession, new):
    user = make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as err:
        accounts.request_email_change(user, new, DEFAULT_PASSWORD)
    assert err.value.field == "email"
    assert "already your email address" in err.value.message


@pytest.mark.parametrize("new", ["grace@example.org", "GRACE@example.org", " Grace@Example.Org"])
def test_another_accounts_address_is_refused_in_any_case(accounts, dbsession, new):
    make_user(dbsession, "grace@example.org")
    user = make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as err:
        accounts.request_email_change(user, new, DEFAULT_PASSWORD)
    assert err.value.field == "email"
    assert user.pending_email is None


def test_the_password_is_checked_before_the_address_is(accounts, dbsession):
    make_user(dbsession, "grace@example.org")
    user = make_user(dbsession, "ada@example.org")
    with pytest.raises(AccountError) as err:  # no hint that grace@ has an account
        accounts.request_email_change(user, "grace@example.org", "a wrong password here")
    assert err.value.field == "password"


def test_an_address_taken_before_the_link_is_opened(accounts, dbsession):
    user, token = _pending(dbsession, accounts)
    accounts.create_user("ADA.new@example.org", DEFAULT_PASSWORD)  # someone was quicker
    with pytest.raises(AccountError) as err:
        accounts.confirm_email_change(token)
    assert not isinstance(err.value, InvalidLink)
    assert "now belongs to another account" in err.value.message
    assert user.email == "ada@example.org" and user.security_stamp == 0


def test_a_newer_request_voids_the_older_link(accounts, dbsession):
    user, first = _pending(dbsession, accounts, new="one@example.org")
    second = accounts.request_email_change(user, "two@example.org", DEFAULT_PASSWORD)
    with pytest.raises(InvalidLink):
        accounts.confirm_email_change(first)
    accounts.confirm_email_change(second)
    assert user.email == "two@example.org"


def test_asking_again_for_the_same_address_keeps_earlier_links_working(accounts, dbsession):
    user, first = _pending(dbsession, accounts)
    accounts.request_email_change(user, "ada.new@example.org", DEFAULT_PASSWORD)
    accounts.confirm_email_change(first)
    assert user.email == "ada.new@example.org"


def test_cancelling_or_a_new_password_voids_the_link(accounts, dbsession):
    user, token = _pending(dbsession, accounts)
    accounts.cancel_email_change(user)
    with pytest.raises(InvalidLink):
        accounts.confirm_email_change(token)
    token = accounts.request_email_change(user, "ada.new@example.org", DEFAULT_PASSWORD)
    accounts.change_password(user, DEFAULT_PASSWORD, "a completely new passphrase")
    with pytest.raises(InvalidLink):
        accounts.confirm_email_change(token)
    assert user.email == "ada@example.org"


def test_email_change_links_that_are_forged_expired_or_for_another_purpose(accounts, dbsession):
    import time

    from frontiers_de.accounts.tokens import TokenPurpose, TokenSigner
    from tests.factories import TOKEN_SECRET

    user, _ = _pending(dbsession, accounts)
    payload = {"u": user.id, "e": "ada.new@example.org", "s": 0}
    expired = TokenSigner(TOKEN_SECRET, clock=lambda: time.time() - 25 * 3600).make(
        TokenPurpose.CHANGE_EMAIL, payload
    )
    forged = TokenSigner("another-secret-0123456789abcdef").make(TokenPurpose.CHANGE_EMAIL, payload)
    verify = TokenSigner(TOKEN_SECRET).make(TokenPurpose.VERIFY_EMAIL, payload)
    wrong_user = TokenSigner(TOKEN_SECRET).make(TokenPurpose.CHANGE_EMAIL, {**payload, "u": "1"})
    reasons = {}
    for name, token in {
        "expired": expired,
        "forged": forged,
        "verify": verify,
        "wrong_user": wrong_user,
        "empty": "",
        "huge": "a" * 5000,
        "nul": "abc\x00def",
    }.items():
        with pytest.raises(InvalidLink) as err:
            accounts.confirm_email_change(token)
        reasons[name] = err.value.reason
    assert reasons["expired"] == "expired"
    assert reasons["wrong_user"] == "used"
    assert {reasons[n] for n in ("forged", "verify", "empty", "huge", "nul")} == {"invalid"}
    assert user.email == "ada@example.org"


def test_an_inactive_account_cannot_finish_the_change(accounts, dbsession):
    user, token = _pending(dbsession, accounts)
    user.is_active = False
    with pytest.raises(InvalidLink):
        accounts.confirm_email_change(token)


def test_email_change_requests_per_client_are_limited(dbsession, clock):
    from frontiers_de.throttling.services import Throttled

    accounts = _tight(dbsession, clock, email_change="2/1h")
    user = make_user(dbsession, "ada@example.org")
    accounts.request_email_change(user, "one@example.org", DEFAULT_PASSWORD, client="192.0.2.1")
    with pytest.raises(AccountError):
        accounts.request_email_change(user, "one@example.org", "wrong password", "192.0.2.1")
    with pytest.raises(Throttled):
        accounts.request_email_change(user, "two@example.org", DEFAULT_PASSWORD, "192.0.2.1")
    assert user.pending_email == "one@example.org"
