"""Finding 7d: ``next=`` with control characters answered 500, and browser-bent forms of
another site passed as same-site paths.

The attack: a link to the sign-in page whose ``next`` holds a line break or NUL (a 500, and
a header injection attempt), or ``/<TAB>/evil.example``, which the old check took for a path
and a browser reads as ``//evil.example``: sign in, land on the attacker's look-alike page.
Every place that reads ``next`` now goes through ``security/redirects.py``: a plain path on
this site, or home.
"""

from __future__ import annotations

import pytest
import webtest

from frontiers_de.security.redirects import safe_redirect_path
from tests.factories import DEFAULT_PASSWORD, app_session, make_user
from tests.web import csrf

HOME = "http://localhost/"
EMAIL = "reader@example.org"

HOSTILE = [
    "\r\nLocation: https://evil.example/",
    "/\r\nSet-Cookie: fde_session=stolen",
    "/%0d%0aLocation:x".replace("%0d%0a", "\r\n"),
    "/\x00",
    "/account\x00.evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\x0b/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "HTTPS://evil.example/login",
    "javascript:alert(document.cookie)",
    "evil.example",
    " /account",
    "/\u202e/elpmaxe.live",
    "/\u200b/evil.example",
    "/\u3000/evil.example",
    "/" + "a" * 3000,
    "",
]
SAME_SITE = [
    ("/account", "/account"),
    ("/submissions?page=2#drafts", "/submissions?page=2#drafts"),
    ("/search?q=%E4%B8%AD", "/search?q=%E4%B8%AD"),
    ("/search?q=中文", "/search?q=%E4%B8%AD%E6%96%87"),
    ("/articles/10.5555/fde.2026.0001", "/articles/10.5555/fde.2026.0001"),
]


@pytest.fixture
def reader(wsgi_app) -> webtest.TestApp:
    with app_session(wsgi_app) as db:
        make_user(db, EMAIL)
    return webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})


def test_hostile_next_on_sign_in_goes_home(reader):
    for target in [*HOSTILE[:8], HOSTILE[10], HOSTILE[11], HOSTILE[14]]:
        page = reader.get("/login", {"next": target})
        res = reader.post(
            "/login",
            {
                "csrf_token": csrf(page),
                "email": EMAIL,
                "password": DEFAULT_PASSWORD,
                "next": target,
            },
            status=302,
        )
        assert res.location == HOME, repr(target)
        reader.post("/logout", {"csrf_token": csrf(reader.get("/account"))}, status=302)


def test_hostile_next_for_a_signed_in_reader_goes_home(reader):
    page = reader.get("/login")
    reader.post("/login", {"csrf_token": csrf(page), "email": EMAIL, "password": DEFAULT_PASSWORD})
    for target in HOSTILE:
        res = reader.get("/login", {"next": target}, status=302)
        assert res.location == HOME, repr(target)
    for target, path in SAME_SITE:
        res = reader.get("/login", {"next": target}, status=302)
        assert res.location == "http://localhost" + path, repr(target)


def test_hostile_next_on_the_language_switch_goes_home(reader):
    page = reader.get("/")
    for target in HOSTILE:
        res = reader.post(
            "/language", {"csrf_token": csrf(page), "language": "zh", "next": target}, status=302
        )
        assert res.location == HOME, repr(target)
    res = reader.post(
        "/language", {"csrf_token": csrf(page), "language": "en", "next": "/search?q=中文"}
    )
    assert res.location == "http://localhost/search?q=%E4%B8%AD%E6%96%87"


def _form_next(page) -> str:
    return page.html.select_one('form[action="/login"] input[name="next"]')["value"]


def test_the_sign_in_form_does_not_carry_a_hostile_next(reader):
    assert _form_next(reader.get("/login", {"next": "/\t/evil.example"})) == ""
    assert _form_next(reader.get("/login", {"next": "/account"})) == "/account"


@pytest.mark.parametrize("target", [*HOSTILE, None, 42, ["/account"]])
def test_the_rule_refuses(target):
    assert safe_redirect_path(target) is None


@pytest.mark.parametrize(("target", "path"), SAME_SITE)
def test_the_rule_keeps_same_site_paths(target, path):
    assert safe_redirect_path(target) == path
