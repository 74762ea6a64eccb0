"""Changing the account's email address through the real app: the password is asked, the
link goes to the new address (read from the mail), the old address stays in use until it is
opened and then hears of the change; and the bad input a tired user or an attacker sends."""

from __future__ import annotations

import re

import pytest
import webtest

from frontiers_de.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, app_session, make_user
from tests.functional.test_accounts import mails_to, press_confirm
from tests.web import csrf, post_sign_in


@pytest.fixture
def ada(wsgi_app, journal):
    with app_session(wsgi_app) as db:
        return make_user(db, "ada@example.org", given_name="Ada").id


def ask(app, email, password=DEFAULT_PASSWORD, **extra):
    page = app.get("/account/email")
    return app.post(
        "/account/email", {"csrf_token": csrf(page), "email": email, "password": password, **extra}
    )


def account(wsgi_app, user_id) -> User:
    with app_session(wsgi_app) as db:
        user = db.get(User, user_id)
        db.expunge(user)
        return user


def confirm_link(mail) -> str:
    match = re.search(r"http://localhost(/account/email/confirm/\S+)", mail.body_text)
    assert match, mail.body_text
    return match.group(1)


def test_change_is_confirmed_from_the_new_address(testapp, wsgi_app, ada, smtp_server):
    post_sign_in(testapp, "ada@example.org")
    assert "Change your email address" in testapp.get("/account").text
    res = ask(testapp, "Ada.Lovelace@Example.net")
    assert res.status_int == 302
    profile = res.follow()
    assert "We sent a link to Ada.Lovelace@Example.net" in profile.text
    assert "Waiting for confirmation" in profile.text

    (mail,) = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["Ada.Lovelace@Example.net"]
    assert mail.subject.startswith("Confirm your new email address")
    link = re.search(r"http://localhost(/account/email/confirm/\S+)", mail.text()).group(1)

    # Until the link is opened, the old address is the account's.
    user = account(wsgi_app, ada)
    assert user.email == "ada@example.org" and user.pending_email == "Ada.Lovelace@Example.net"
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert "not correct" in post_sign_in(other, "ada.lovelace@example.net").text
    assert post_sign_in(other, "ada@example.org").status_int == 302

    done = press_confirm(testapp, link)
    assert done.status_int == 302 and done.headers["Location"].endswith("/account")
    assert "Your email address is now Ada.Lovelace@Example.net" in done.follow().text
    assert testapp.get("/account").status_int == 200  # this session goes on...
    assert other.get("/account").status_int == 302  # ...the other one has ended

    notice = smtp_server.wait_for(2)[-1]
    assert notice.rcpt_tos == ["ada@example.org"]
    assert notice.subject.startswith("Your email address for")
    assert "Ada.Lovelace@Example.net" in notice.text()
    assert "/account/email/confirm/" not in notice.text()

    fresh = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert "not correct" in post_sign_in(fresh, "ada@example.org").text
    assert post_sign_in(fresh, "ADA.lovelace@example.net").status_int == 302
    user = account(wsgi_app, ada)
    assert user.email_key == "ada.lovelace@example.net" and user.is_verified
    assert user.pending_email is None
    # The link is spent.
    assert "already been used" in testapp.get(link, status=400).text


def test_the_link_works_without_being_signed_in(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    ask(testapp, "new@example.org")
    (mail,) = mails_to(wsgi_app, "new@example.org")
    phone = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    res = press_confirm(phone, confirm_link(mail))
    assert res.headers["Location"].endswith("/login")
    assert account(wsgi_app, ada).email == "new@example.org"


def test_an_unconfirmed_old_address_gets_no_notice(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        user_id = make_user(db, "ada@exmaple.org", verified=False).id
    post_sign_in(testapp, "ada@exmaple.org")
    ask(testapp, "ada@example.org")
    (mail,) = mails_to(wsgi_app, "ada@example.org")
    press_confirm(testapp, confirm_link(mail))
    assert account(wsgi_app, user_id).is_verified
    assert mails_to(wsgi_app, "ada@exmaple.org") == []


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", DEFAULT_PASSWORD, "This field is required"),
        ("new@example.org", "", "This field is required"),
        ("not an address", DEFAULT_PASSWORD, "Enter an email address"),
        ("new@example", DEFAULT_PASSWORD, "Enter an email address"),
        ("new@example.org\r\nBcc: eve@example.org", DEFAULT_PASSWORD, "control characters"),
        ("new\x00@example.org", DEFAULT_PASSWORD, "NUL character"),
        ("a" * 250 + "@example.org", DEFAULT_PASSWORD, "too long"),
        ("new@example.org", "not my password at all", "current password is not correct"),
        ("new@example.org", "x" * 5000, "too long"),
        ("ADA@example.org", DEFAULT_PASSWORD, "already your email address"),
        ("Grace@EXAMPLE.org", DEFAULT_PASSWORD, "belongs to another account"),
    ],
)
def test_bad_requests_are_refused_and_nothing_changes(
    testapp, wsgi_app, ada, email, password, message
):
    with app_session(wsgi_app) as db:
        make_user(db, "grace@example.org")
    post_sign_in(testapp, "ada@example.org")
    res = ask(testapp, email, password)
    assert res.status_int == 200
    assert message in res.text
    assert 'value="' + DEFAULT_PASSWORD not in res.text  # the password is never echoed
    user = account(wsgi_app, ada)
    assert user.email == "ada@example.org" and user.pending_email is None
    assert [m for m in mails_to(wsgi_app, "@") if m.template == "accounts_change_email"] == []


def test_the_field_is_sent_twice_or_without_csrf(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    page = testapp.get("/account/email")
    res = testapp.post(
        "/account/email",
        [
            ("csrf_token", csrf(page)),
            ("email", "one@example.org"),
            ("email", "two@example.org"),
            ("password", DEFAULT_PASSWORD),
        ],
    )
    assert "sent more than once" in res.text
    testapp.post(
        "/account/email", {"email": "one@example.org", "password": DEFAULT_PASSWORD}, status=400
    )
    assert account(wsgi_app, ada).pending_email is None


def test_wrong_passwords_lock_the_form_like_sign_in(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    for _ in range(5):
        assert "not correct" in ask(testapp, "new@example.org", "wrong password here").text
    res = ask(testapp, "new@example.org")
    assert "Too many failed sign-in attempts" in res.text
    assert account(wsgi_app, ada).pending_email is None


def test_cancelling_voids_the_link(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    ask(testapp, "new@example.org")
    (mail,) = mails_to(wsgi_app, "new@example.org")
    page = testapp.get("/account/email")
    assert "new@example.org" in page.text
    res = testapp.post("/account/email", {"csrf_token": csrf(page), "action": "cancel"})
    assert "cancelled" in res.follow().text
    assert account(wsgi_app, ada).pending_email is None
    res = testapp.get(confirm_link(mail), status=400)
    assert "Ask for a new link" in res.text
    assert account(wsgi_app, ada).email == "ada@example.org"


def test_a_second_request_voids_the_first_link(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    ask(testapp, "one@example.org")
    ask(testapp, "two@example.org")
    (first,) = mails_to(wsgi_app, "one@example.org")
    (second,) = mails_to(wsgi_app, "two@example.org")
    testapp.get(confirm_link(first), status=400)
    press_confirm(testapp, confirm_link(second))
    assert account(wsgi_app, ada).email == "two@example.org"


def test_an_address_registered_meanwhile_is_not_taken_over(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    ask(testapp, "new@example.org")
    (mail,) = mails_to(wsgi_app, "new@example.org")
    with app_session(wsgi_app) as db:
        make_user(db, "NEW@example.org")
    res = press_confirm(testapp, confirm_link(mail), status=409)
    assert "now belongs to another account" in res.text
    assert account(wsgi_app, ada).email == "ada@example.org"


def test_links_to_one_address_are_limited_per_hour(testapp, wsgi_app, ada):
    post_sign_in(testapp, "ada@example.org")
    for _ in range(4):
        res = ask(testapp, "new@example.org").follow()
    assert "already sent several links" in res.text
    assert len(mails_to(wsgi_app, "new@example.org")) == 3


def test_forged_and_nonsense_links(testapp, wsgi_app, ada):
    for token in ("forged", "A" * 5000, "abc%00def"):
        res = testapp.get(f"/account/email/confirm/{token}", status=400)
        assert "not valid" in res.text
    # (A client without cookies: WebTest's cookie jar cannot read such a path.)
    cookieless = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert "not UTF-8" in cookieless.get("/account/email/confirm/%ff%00", status=400).text
    assert account(wsgi_app, ada).email == "ada@example.org"


def test_chinese_page_and_mails(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "li@example.org", preferred_language="zh")
    testapp.set_cookie("fde_lang", "zh")
    post_sign_in(testapp, "li@example.org")
    page = testapp.get("/account/email")
    assert "更改电子邮箱" in page.text
    res = ask(testapp, "li@example.org")
    assert "这已经是您的电子邮箱" in res.text
    ask(testapp, "li.new@example.org")
    (mail,) = mails_to(wsgi_app, "li.new@example.org")
    assert mail.subject.startswith("请确认您在《")
    assert "小时内有效" in mail.body_text
    page = testapp.get(confirm_link(mail))
    assert "确认新邮箱地址" in page.text
    page.forms[len(page.forms) - 1].submit()
    (notice,) = mails_to(wsgi_app, "li@example.org")
    assert "已由 li@example.org 更改为 li.new@example.org" in notice.body_text


def test_anonymous_visitors_are_sent_to_sign_in(testapp, ada):
    res = testapp.get("/account/email")
    assert res.status_int == 302 and "/login" in res.headers["Location"]
