"""Issue 9, item 7g: links that mail scanners open must not act.

Security gateways and mail clients fetch the links in a message before (or without) the
person reading it. Before the fix, a GET of the change-of-address link moved the account to
the new address, and a GET of the verification link confirmed the address. Now the link
opens a page with a button; only that button (a POST with the form's CSRF token) confirms."""

from __future__ import annotations

import webtest

from frontiers_de.accounts.models import User
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_accounts import link_in, mails_to, register
from tests.functional.test_email_change import ask, confirm_link
from tests.web import csrf, post_sign_in


def account(wsgi_app, email: str) -> User:
    with app_session(wsgi_app) as db:
        user = db.query(User).filter(User.email_key == email.casefold()).one()
        db.expunge(user)
        return user


def scanner(wsgi_app) -> webtest.TestApp:
    """A mail scanner: no cookies of the user, follows every link with GET (and HEAD)."""
    return webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})


def test_opening_the_change_of_address_link_changes_nothing_until_the_button(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
        make_user(db, "ada@example.org", given_name="Ada")
    post_sign_in(testapp, "ada@example.org")
    ask(testapp, "ada.lovelace@example.net")
    (mail,) = mails_to(wsgi_app, "ada.lovelace@example.net")
    link = confirm_link(mail)
    stamp = account(wsgi_app, "ada@example.org").security_stamp

    # The scanner fetches the link, several times, and HEAD too; the user opens it.
    bot = scanner(wsgi_app)
    for _ in range(3):
        page = bot.get(link)
        assert page.status_int == 200
    bot.head(link)
    page = testapp.get(link)
    assert "ada.lovelace@example.net" in page.text
    button = page.html.find(id="main").find("button", {"type": "submit"})
    assert button is not None and "Confirm" in button.text
    user = account(wsgi_app, "ada@example.org")
    assert (user.email, user.pending_email) == ("ada@example.org", "ada.lovelace@example.net")
    assert user.security_stamp == stamp
    assert testapp.get("/account").status_int == 200  # the session did not end either
    assert mails_to(wsgi_app, "ada@example.org") == []  # no "address changed" notice

    # A POST without the page's CSRF token (a cross-site form) is refused.
    testapp.post(link, {}, status=400)
    bot.post(link, {"csrf_token": "forged"}, status=400)
    assert account(wsgi_app, "ada@example.org").pending_email == "ada.lovelace@example.net"

    # The button confirms.
    form = page.forms[len(page.forms) - 1]
    done = form.submit()
    assert done.status_int == 302
    assert "Your email address is now ada.lovelace@example.net" in done.follow().text
    user = account(wsgi_app, "ada.lovelace@example.net")
    assert user.pending_email is None and user.is_verified
    # Spent: the page says so on GET and on POST.
    spent = testapp.get(link, status=400)
    assert "already been used" in spent.text
    assert "already been used" in testapp.post(link, {"csrf_token": csrf(spent)}, status=400).text


def test_the_button_works_from_another_device_too(wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
        make_user(db, "ada@example.org")
    desk = scanner(wsgi_app)
    post_sign_in(desk, "ada@example.org")
    ask(desk, "new@example.org")
    (mail,) = mails_to(wsgi_app, "new@example.org")
    phone = scanner(wsgi_app)
    page = phone.get(confirm_link(mail))
    res = page.forms[len(page.forms) - 1].submit()
    assert res.headers["Location"].endswith("/login")
    assert account(wsgi_app, "new@example.org").email == "new@example.org"


def test_opening_the_verification_link_changes_nothing_until_the_button(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
    register(testapp, "lin@example.org")
    (mail,) = mails_to(wsgi_app, "lin@example.org")
    link = link_in(mail, "verify")

    bot = scanner(wsgi_app)
    for _ in range(3):
        assert bot.get(link).status_int == 200
    bot.head(link)
    page = testapp.get(link)
    assert not account(wsgi_app, "lin@example.org").is_verified
    button = page.html.find(id="main").find("button", {"type": "submit"})
    assert button is not None and "Confirm" in button.text

    testapp.post(link, {}, status=400)  # no CSRF token
    assert not account(wsgi_app, "lin@example.org").is_verified

    done = page.forms[len(page.forms) - 1].submit()
    assert done.status_int == 302
    assert "your email address is confirmed" in done.follow().text
    assert account(wsgi_app, "lin@example.org").is_verified


def test_bad_links_answer_on_get_and_on_post(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
    page = testapp.get("/login")
    for path in ("/verify/forged", "/account/email/confirm/forged"):
        assert "not valid" in testapp.get(path, status=400).text
        assert "not valid" in testapp.post(path, {"csrf_token": csrf(page)}, status=400).text
