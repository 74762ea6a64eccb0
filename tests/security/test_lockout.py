"""Finding 7b: five wrong passwords from a stranger locked the owner out for 15 minutes.

The attack: anyone who knows the editor-in-chief's address sends five wrong passwords every
quarter of an hour, and the editor cannot sign in all day. Failures now count per account
*and* client (IP address; IPv6 by /64 network): the stranger is locked out of the account,
the owner signing in from their own address is not.
"""

from __future__ import annotations

import pytest
import webtest

from frontiers_de.security.roles import Role
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.web import post_sign_in

OWNER = "eic@example.org"
LOCKED = "Too many failed sign-in attempts"
WRONG = "The email address or password is not correct."


@pytest.fixture
def owner(wsgi_app) -> str:
    with app_session(wsgi_app) as db:
        make_user(db, OWNER, roles=[Role.EDITOR_IN_CHIEF], journal=make_journal(db))
    return OWNER


def from_address(wsgi_app, address: str) -> webtest.TestApp:
    return webtest.TestApp(
        wsgi_app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": address}
    )


def test_a_stranger_hammering_the_account_does_not_lock_the_owner_out(wsgi_app, owner):
    stranger = from_address(wsgi_app, "203.0.113.66")
    for attempt in range(5):
        res = post_sign_in(stranger, owner, f"guess number {attempt}")
        assert res.status_int == 200 and WRONG in res.text
    # The stranger is stopped, even with the right password ...
    res = post_sign_in(stranger, owner, DEFAULT_PASSWORD)
    assert res.status_int == 200 and LOCKED in res.text
    # ... the owner, at their own address, signs in.
    home = from_address(wsgi_app, "198.51.100.7")
    assert post_sign_in(home, owner, DEFAULT_PASSWORD).status_int == 302
    assert home.get("/account").status_int == 200
    # The owner's success does not give the stranger a fresh start.
    assert LOCKED in post_sign_in(stranger, owner, "guess number 6").text


def test_the_owner_mistyping_twice_still_gets_in_while_the_stranger_is_locked(wsgi_app, owner):
    stranger = from_address(wsgi_app, "203.0.113.66")
    for attempt in range(6):
        post_sign_in(stranger, owner, f"guess number {attempt}")
    home = from_address(wsgi_app, "198.51.100.7")
    assert WRONG in post_sign_in(home, owner, "a quiet harbour at dusk").text
    assert WRONG in post_sign_in(home, owner, "a quiet harbor at dawn").text
    assert post_sign_in(home, owner, DEFAULT_PASSWORD).status_int == 302


def test_new_addresses_in_the_same_ipv6_network_are_the_same_stranger(wsgi_app, owner):
    for n in range(5):
        post_sign_in(from_address(wsgi_app, f"2001:db8:1:2::{n + 1:x}"), owner, f"guess {n}")
    res = post_sign_in(from_address(wsgi_app, "2001:db8:1:2::ff"), owner, DEFAULT_PASSWORD)
    assert LOCKED in res.text
    # Another network is another client.
    other = from_address(wsgi_app, "2001:db8:9:9::1")
    assert post_sign_in(other, owner, DEFAULT_PASSWORD).status_int == 302


def test_a_stranger_spreading_guesses_over_accounts_is_still_limited(wsgi_app, owner):
    """The per-client limit across accounts (fde.throttle.login, 30 per 15 minutes)."""
    stranger = from_address(wsgi_app, "203.0.113.66")
    for n in range(30):
        res = post_sign_in(stranger, f"someone{n}@example.org", "a guess that is wrong")
        assert WRONG in res.text
    res = post_sign_in(stranger, owner, DEFAULT_PASSWORD)
    assert "Too many attempts from your network" in res.text
    assert (
        post_sign_in(from_address(wsgi_app, "198.51.100.7"), owner, DEFAULT_PASSWORD).status_int
        == 302
    )
