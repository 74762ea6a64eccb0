"""Per-client throttling through the real app: sign-in failures across many addresses,
registration, password-reset requests, confirmation resends and emailed links, with tight
limits so that the tests stay short; the client address, X-Forwarded-For and trusted
proxies; the message in English and Chinese."""

from __future__ import annotations

import re

import pytest
import webtest
from sqlalchemy import func, select

from frontiers_de.accounts.models import User
from frontiers_de.throttling.models import ThrottleEvent
from tests.factories import DEFAULT_PASSWORD, app_session, make_user
from tests.web import csrf, post_sign_in

LIMITED = "Too many attempts from your network"


@pytest.fixture
def app_settings(app_settings):
    return {
        **app_settings,
        "fde.throttle.login": "3/15m",
        "fde.throttle.register": "2/1h",
        "fde.throttle.password_reset": "2/1h",
        "fde.throttle.verify_resend": "2/1h",
        "fde.throttle.link": "3/15m",
        "fde.trusted_proxies": "10.0.0.1",
    }


def client(wsgi_app, remote: str | None = "198.51.100.7", **environ: str) -> webtest.TestApp:
    extra = {"HTTP_HOST": "localhost", **environ}
    if remote is not None:
        extra["REMOTE_ADDR"] = remote
    return webtest.TestApp(wsgi_app, extra_environ=extra)


def events(wsgi_app, scope: str) -> list[str]:
    with app_session(wsgi_app) as db:
        return list(db.scalars(select(ThrottleEvent.client).where(ThrottleEvent.scope == scope)))


def test_password_spraying_is_stopped_per_client(wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "victim@example.org")
    sprayer = client(wsgi_app)
    for n in range(3):
        res = post_sign_in(sprayer, f"user{n}@example.org", "Summer2026!")
        assert "not correct" in res.text
    res = post_sign_in(sprayer, "victim@example.org")  # the right password: still refused
    assert res.status_int == 200  # the sign-in form again, with the message
    assert LIMITED in res.text
    assert re.search(r"try again in 1[45] minute", res.text)
    assert sprayer.get("/account").status_int == 302  # not signed in
    assert events(wsgi_app, "login") == ["198.51.100.7"] * 3
    # Someone else is not held up by it.
    assert post_sign_in(client(wsgi_app, "198.51.100.8"), "victim@example.org").status_int == 302


def test_a_made_up_forwarded_header_does_not_escape_the_limit(wsgi_app, journal):
    sprayer = client(wsgi_app)
    for n in range(4):
        res = post_sign_in(
            sprayer,
            f"user{n}@example.org",
            "Summer2026!",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
    assert LIMITED in res.text
    assert set(events(wsgi_app, "login")) == {"198.51.100.7"}


def test_behind_the_trusted_proxy_each_forwarded_client_counts_alone(wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    proxy = client(wsgi_app, "10.0.0.1")
    for n in range(3):
        post_sign_in(
            proxy,
            f"user{n}@example.org",
            "wrong password",
            headers={"X-Forwarded-For": "203.0.113.5"},
        )
    assert (
        LIMITED
        in post_sign_in(proxy, "ada@example.org", headers={"X-Forwarded-For": "203.0.113.5"}).text
    )
    # The client's own made-up entry on the left does not help it either...
    spoofed = {"X-Forwarded-For": "192.0.2.99, 203.0.113.5"}
    assert LIMITED in post_sign_in(proxy, "ada@example.org", headers=spoofed).text
    # ...while another client behind the same proxy signs in.
    other = client(wsgi_app, "10.0.0.1")
    assert (
        post_sign_in(
            other, "ada@example.org", headers={"X-Forwarded-For": "203.0.113.6"}
        ).status_int
        == 302
    )
    assert set(events(wsgi_app, "login")) == {"203.0.113.5"}


def register(app, email):
    page = app.get("/register")
    return app.post(
        "/register",
        {
            "csrf_token": csrf(page),
            "email": email,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "password": DEFAULT_PASSWORD,
            "password_confirm": DEFAULT_PASSWORD,
            "preferred_language": "en",
        },
    )


def test_registrations_per_client_are_limited(wsgi_app, journal):
    for n in range(2):
        app = client(wsgi_app)  # a fresh browser each time: the limit is per address
        assert register(app, f"new{n}@example.org").status_int == 302
    res = register(client(wsgi_app), "new9@example.org")
    assert res.status_int == 200
    assert LIMITED in res.text
    assert res.html.find("input", {"name": "email"})["value"] == "new9@example.org"  # kept
    with app_session(wsgi_app) as db:
        assert db.scalar(select(func.count(User.id))) == 2
    # A form with mistakes never reaches the rule and is not counted.
    other = client(wsgi_app, "198.51.100.20")
    page = other.get("/register")
    bad = other.post("/register", {"csrf_token": csrf(page), "email": "not an address"})
    assert "Enter an email address" in bad.text
    assert register(other, "new10@example.org").status_int == 302


def test_password_reset_requests_per_client_are_limited(wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    app = client(wsgi_app)
    for _ in range(2):
        page = app.get("/password/reset")
        res = app.post("/password/reset", {"csrf_token": csrf(page), "email": "ada@example.org"})
        assert "If an account exists" in res.text
    page = app.get("/password/reset")
    res = app.post("/password/reset", {"csrf_token": csrf(page), "email": "ada@example.org"})
    assert LIMITED in res.text
    assert "If an account exists" not in res.text


def test_confirmation_resends_per_client_are_a_429(wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "new@example.org", verified=False)
    app = client(wsgi_app)
    post_sign_in(app, "new@example.org")
    for _ in range(2):
        page = app.get("/account")
        assert app.post("/verify-again", {"csrf_token": csrf(page)}).status_int == 302
    page = app.get("/account")
    res = app.post("/verify-again", {"csrf_token": csrf(page)}, status=429)
    assert LIMITED in res.text
    assert 3500 < int(res.headers["Retry-After"]) <= 3600
    assert res.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/verify/forged-token", 400),
        ("/password/reset/forged-token", 400),
        ("/proofs/forged-token", 404),
        ("/proofs/forged-token/pdf", 404),
    ],
)
def test_guessing_emailed_links_is_a_429(wsgi_app, journal, path, status):
    app = client(wsgi_app)
    for _ in range(3):
        app.get(path, status=status)
    res = app.get(path, status=429)
    assert LIMITED in res.text
    assert 800 < int(res.headers["Retry-After"]) <= 900
    assert res.headers["Referrer-Policy"] == "no-referrer"
    app.get(path, status=status, extra_environ={"REMOTE_ADDR": "198.51.100.50"})


def test_all_kinds_of_link_share_one_count(wsgi_app, journal):
    app = client(wsgi_app)
    app.get("/verify/forged", status=400)
    app.get("/password/reset/forged", status=400)
    page = app.get("/")
    app.post("/proofs/forged", {"csrf_token": csrf(page), "action": "approve"}, status=404)
    app.get("/verify/forged", status=429)
    page = app.get("/")
    app.post("/proofs/forged", {"csrf_token": csrf(page), "action": "approve"}, status=429)


def test_a_working_link_is_not_counted(wsgi_app, journal):
    from frontiers_de.accounts.services import AccountService

    with app_session(wsgi_app) as db:
        user = make_user(db, "new@example.org", verified=False)
        token = AccountService.from_settings(db, wsgi_app.registry.settings).verification_token(
            user
        )
    app = client(wsgi_app)
    for _ in range(5):
        assert app.get(f"/verify/{token}").status_int == 200
    assert events(wsgi_app, "link") == []


def test_the_message_in_chinese(wsgi_app, journal):
    app = client(wsgi_app)
    app.set_cookie("fde_lang", "zh")
    for _ in range(3):
        app.get("/verify/forged", status=400)
    res = app.get("/verify/forged", status=429)
    assert "尝试次数过多" in res.text
    assert re.search(r"请在 1[45] 分钟后再试", res.text)
