"""Helpers for driving the app through WebTest as a browser would: read a page's CSRF token,
sign in through the password form, sign out. One copy for every functional and security test.

``sign_in`` asserts the redirect that a successful sign-in answers with; a test about a
refused sign-in calls ``post_sign_in`` and looks at the response itself.
"""

from __future__ import annotations

from typing import Any

import webtest

from tests.factories import DEFAULT_PASSWORD

SIGN_IN = "/login"
SIGN_OUT = "/logout"


def csrf(page: webtest.TestResponse) -> str:
    """The CSRF token of the first form on ``page``."""
    field = page.html.find("input", {"name": "csrf_token"})
    assert field is not None, f"no CSRF token on {page.request.path}"
    return str(field["value"])


def post_sign_in(
    client: webtest.TestApp,
    email: str,
    password: str = DEFAULT_PASSWORD,
    *,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> webtest.TestResponse:
    """Fill in and send the sign-in form; the response, whatever it is."""
    page = client.get(SIGN_IN, headers=headers)
    form = {"csrf_token": csrf(page), "email": email, "password": password, **fields}
    return client.post(SIGN_IN, form, headers=headers)


def sign_in(
    client: webtest.TestApp, email: str, password: str = DEFAULT_PASSWORD
) -> webtest.TestResponse:
    """Sign ``client`` in as ``email``; fails the test unless the app lets them in."""
    res = post_sign_in(client, email, password)
    assert res.status_int == 302, f"{email} could not sign in"
    return res


def sign_out(client: webtest.TestApp) -> webtest.TestResponse:
    """Sign ``client`` out with the form the account page carries."""
    return client.post(SIGN_OUT, {"csrf_token": csrf(client.get("/account"))}, status=302)


def client_for(wsgi_app: Any, email: str | None = None, password: str = DEFAULT_PASSWORD):
    """A browser of its own on ``wsgi_app`` (its own cookies), signed in as ``email`` if given."""
    client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    if email is not None:
        sign_in(client, email, password)
    return client
