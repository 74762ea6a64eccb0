"""Account flows through the real app: register -> verify (link read from the mail) ->
sign in -> reset password; throttling; profile; and the bad input of issue 2."""

from __future__ import annotations

import re
import time

import pytest
import webob
from sqlalchemy import func, select

from frontiers_de.accounts.models import LoginAttempt, User
from frontiers_de.accounts.tokens import TokenPurpose, TokenSigner
from frontiers_de.mail.models import OutboxEmail
from tests.factories import DEFAULT_PASSWORD, TOKEN_SECRET, app_session, make_user
from tests.web import csrf, post_sign_in, sign_out

NEW_PASSWORD = "rivers run to the eastern sea"


def mails_to(wsgi_app, address: str) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        rows = db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
        return [r for r in rows if any(address in a for a in r.recipients)]


def link_in(mail: OutboxEmail, route: str) -> str:
    match = re.search(rf"http://localhost(/{route}/\S+)", mail.body_text)
    assert match, mail.body_text
    return match.group(1)


def register(testapp, email="ada@example.org", password=DEFAULT_PASSWORD, **extra):
    page = testapp.get("/register")
    form = {
        "csrf_token": csrf(page),
        "email": email,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "password": password,
        "password_confirm": extra.pop("password_confirm", password),
        "preferred_language": "en",
        **extra,
    }
    return testapp.post("/register", form)


def press_confirm(testapp, link: str, status: int | None = None):
    """Open an emailed confirmation link and press the button on its page (opening it
    alone changes nothing); the answer to the button."""
    page = testapp.get(link)
    form = page.forms[len(page.forms) - 1]
    return form.submit(status=status)


def user_count(wsgi_app) -> int:
    with app_session(wsgi_app) as db:
        return db.scalar(select(func.count(User.id)))


def link_in_text(text: str, route: str) -> str:
    match = re.search(rf"http://localhost(/{route}/\S+)", text)
    assert match, text
    return match.group(1)


def test_register_verify_sign_in_and_reset_password(testapp, wsgi_app, journal, smtp_server):
    """The whole flow, the links read from the mail as the real SMTP server received it."""
    res = register(testapp, email="Ada.Lovelace@Example.org")
    assert res.status_int == 302 and res.headers["Location"].endswith("/account")
    profile = res.follow()
    assert "not confirmed yet" in profile.text

    (mail,) = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["Ada.Lovelace@Example.org"]
    assert mail.subject == "Confirm your email address for Frontiers of Digital Education"
    verified = press_confirm(testapp, link_in_text(mail.text(), "verify"))
    assert verified.status_int == 302
    assert "confirmed" in verified.follow().text
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "ada.lovelace@example.org"))
        assert user.is_verified

    sign_out(testapp)
    # The address is matched without regard to case.
    res = post_sign_in(testapp, "ada.lovelace@EXAMPLE.org")
    assert res.status_int == 302
    assert "Ada" in testapp.get("/account").text
    sign_out(testapp)

    page = testapp.get("/password/reset")
    sent = testapp.post(
        "/password/reset", {"csrf_token": csrf(page), "email": "ADA.lovelace@example.org"}
    )
    assert "If an account exists" in sent.text
    reset_mail = smtp_server.wait_for(2)[-1]
    assert reset_mail.subject.startswith("Set a new password")
    link = link_in_text(reset_mail.text(), "password/reset")
    form_page = testapp.get(link)
    done = testapp.post(
        link,
        {"csrf_token": csrf(form_page), "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert done.status_int == 302 and done.headers["Location"].endswith("/login")

    # The link works once; the old password no longer does; the new one does.
    again = testapp.get(link, status=400)
    assert "already been used" in again.text
    assert "not correct" in post_sign_in(testapp, "ada.lovelace@example.org").text
    assert post_sign_in(testapp, "ada.lovelace@example.org", NEW_PASSWORD).status_int == 302


def test_reset_signs_out_other_sessions(testapp, wsgi_app, journal):
    import webtest

    with app_session(wsgi_app) as db:
        make_user(db, "grace@example.org")
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    post_sign_in(other, "grace@example.org")
    assert other.get("/account").status_int == 200

    page = testapp.get("/password/reset")
    testapp.post("/password/reset", {"csrf_token": csrf(page), "email": "grace@example.org"})
    link = link_in(mails_to(wsgi_app, "grace@example.org")[-1], "password/reset")
    page = testapp.get(link)
    testapp.post(
        link, {"csrf_token": csrf(page), "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    # The other browser's session is gone: the account page sends it to sign in.
    assert other.get("/account").status_int == 302


def test_reset_request_does_not_reveal_whether_the_address_exists(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        page = testapp.get("/password/reset")
        res = testapp.post("/password/reset", {"csrf_token": csrf(page), "email": email})
        answers.append(res.html.find("main").get_text())
    assert answers[0] == answers[1]
    assert mails_to(wsgi_app, "unknown@example.org") == []
    assert len(mails_to(wsgi_app, "known@example.org")) == 1


def test_login_throttled_after_five_failures(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "turing@example.org")
    for _ in range(5):
        res = post_sign_in(testapp, "turing@example.org", "not the password at all")
        assert "not correct" in res.text
    res = post_sign_in(testapp, "Turing@example.org")  # even the right password waits
    assert res.status_int == 200
    assert "Too many failed sign-in attempts" in res.text
    assert re.search(r"wait 1[45] minute", res.text)
    assert testapp.get("/account").status_int == 302  # not signed in
    with app_session(wsgi_app) as db:
        assert db.scalar(select(func.count(LoginAttempt.id))) == 5


def test_profile_edit(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "wu@example.org")
    post_sign_in(testapp, "wu@example.org")
    page = testapp.get("/account")
    res = testapp.post(
        "/account",
        {
            "csrf_token": csrf(page),
            "given_name": "Chien-Shiung",
            "family_name": "Wu",
            "native_name": "吳健雄",
            "orcid": "https://orcid.org/0000-0002-1694-233x",
            "affiliation": "Harvard University",
            "ror_id": "https://ror.org/03vek6s52",
            "country": "cn",
            "preferred_language": "zh",
        },
    )
    assert res.status_int == 302
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "wu@example.org"))
        assert (user.native_name, user.orcid, user.ror_id, user.country) == (
            "吳健雄",
            "0000-0002-1694-233X",
            "03vek6s52",
            "CN",
        )
        assert user.preferred_language == "zh"
    # The interface now speaks the user's language.
    assert "我的账户" in testapp.get("/account").text


# --- bad input -------------------------------------------------------------------------------


def test_duplicate_email_in_any_case_is_refused(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    res = register(testapp, email="ADA@Example.ORG")
    assert res.status_int == 200
    assert "already exists" in res.text
    assert user_count(wsgi_app) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "at least 10 characters"),
        ("12345678901234", "only of digits"),
        ("Password123", "most common"),
        ("x" * 300 + "y", "too long"),
    ],
)
def test_weak_or_overlong_password_is_refused(testapp, wsgi_app, journal, password, message):
    res = register(testapp, password=password)
    assert message in res.text
    assert 'id="password-error"' in res.text
    assert 'aria-describedby="password-hint password-error"' in res.text
    assert user_count(wsgi_app) == 0


def test_password_confirmation_must_match(testapp, wsgi_app, journal):
    res = register(testapp, password_confirm="something else entirely")
    assert "not the same" in res.text
    assert user_count(wsgi_app) == 0


def test_invalid_orcid_and_ror_are_refused_and_nothing_is_saved(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "wu@example.org", affiliation="Before")
    post_sign_in(testapp, "wu@example.org")
    page = testapp.get("/account")
    res = testapp.post(
        "/account",
        {
            "csrf_token": csrf(page),
            "given_name": "Chien-Shiung",
            "affiliation": "After",
            "orcid": "0000-0002-1694-2331",  # wrong check digit
            "ror_id": "03vek6s53",  # wrong check sum
            "country": "XX",
            "preferred_language": "fr",
        },
    )
    assert res.status_int == 200
    assert "wrong check digit" in res.text
    assert "wrong check sum" in res.text
    assert "Choose a country" in res.text
    assert "Choose English or Chinese" in res.text
    assert 'aria-describedby="orcid-hint orcid-error"' in res.text
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "wu@example.org"))
        assert user.affiliation == "Before" and user.orcid is None


def test_forged_expired_and_wrong_purpose_tokens(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        user = make_user(db, "lin@example.org", verified=False)
        user_id, key = user.id, user.email_key
    forged = TokenSigner("another-secret-0123456789abcdef").make(
        TokenPurpose.VERIFY_EMAIL, {"u": user_id, "e": key}
    )
    assert "not valid" in testapp.get(f"/verify/{forged}", status=400).text
    expired = TokenSigner(TOKEN_SECRET, clock=lambda: time.time() - 4 * 86400).make(
        TokenPurpose.VERIFY_EMAIL, {"u": user_id, "e": key}
    )
    assert "expired" in testapp.get(f"/verify/{expired}", status=400).text
    reset_token = TokenSigner(TOKEN_SECRET).make(
        TokenPurpose.RESET_PASSWORD, {"u": user_id, "s": 0}
    )
    assert "not valid" in testapp.get(f"/verify/{reset_token}", status=400).text
    verify_token = TokenSigner(TOKEN_SECRET).make(
        TokenPurpose.VERIFY_EMAIL, {"u": user_id, "e": key}
    )
    assert "not valid" in testapp.get(f"/password/reset/{verify_token}", status=400).text
    testapp.get("/verify/" + "A" * 5000, status=400)
    with app_session(wsgi_app) as db:
        assert not db.get(User, user_id).is_verified


def test_missing_csrf_token_is_refused(testapp, wsgi_app, journal):
    res = testapp.post(
        "/register",
        {
            "email": "eve@example.org",
            "given_name": "Eve",
            "password": DEFAULT_PASSWORD,
            "password_confirm": DEFAULT_PASSWORD,
            "preferred_language": "en",
        },
        status=400,
    )
    assert "Traceback" not in res.text
    assert user_count(wsgi_app) == 0


def test_oversized_and_nul_fields_are_refused(testapp, wsgi_app, journal):
    res = register(testapp, given_name="A" * 5000)
    assert "too long: at most 200 characters" in res.text
    res = register(testapp, given_name="Ada\x00Lovelace")
    assert "NUL character" in res.text
    res = register(testapp, email="ada@example.org\r\nBcc: x@example.org")
    assert "control characters" in res.text
    page = testapp.get("/register")
    res = testapp.post(
        "/register",
        [
            ("csrf_token", csrf(page)),
            ("email", "a@example.org"),
            ("email", "b@example.org"),
            ("given_name", "Ada"),
            ("password", DEFAULT_PASSWORD),
            ("password_confirm", DEFAULT_PASSWORD),
            ("preferred_language", "en"),
        ],
    )
    assert "sent more than once" in res.text
    assert user_count(wsgi_app) == 0


def test_non_utf8_form_body_is_a_clear_400(testapp, wsgi_app, journal):
    page = testapp.get("/register")
    body = (
        f"csrf_token={csrf(page)}&email=ada%40example.org&given_name=Ad%E9&"
        f"password=aaaaaaaaaaaab&password_confirm=aaaaaaaaaaaab&preferred_language=en"
    ).encode()
    res = testapp.post(
        "/register", body, content_type="application/x-www-form-urlencoded", status=400
    )
    assert "not sent as UTF-8" in res.text
    raw = b"given_name=Ad\xe9"
    res = testapp.post(
        "/register", raw, content_type="application/x-www-form-urlencoded", status=400
    )
    assert "not sent as UTF-8" in res.text
    # WebTest will not send such a multipart body, so it goes to the app as it is.
    request = webob.Request.blank(
        "/register",
        method="POST",
        body=(
            b'--XX\r\nContent-Disposition: form-data; name="given_name"\r\n\r\nAd\xe9\r\n--XX--\r\n'
        ),
        content_type="multipart/form-data; boundary=XX",
        headers={"Host": "localhost"},
    )
    res = request.get_response(wsgi_app)
    assert res.status_int == 400
    assert "not sent as UTF-8" in res.text
    assert user_count(wsgi_app) == 0


def test_chinese_interface_and_chinese_mail(testapp, wsgi_app, journal):
    testapp.set_cookie("fde_lang", "zh")
    res = register(testapp, email="li@example.org", password="short")
    assert "请设置至少 10 个字符的密码" in res.text
    res = register(testapp, email="li@example.org", preferred_language="zh")
    assert res.status_int == 302
    (mail,) = mails_to(wsgi_app, "li@example.org")
    assert mail.subject.startswith("请确认您在《数字教育前沿》")
    assert "小时内有效" in mail.body_text


@pytest.mark.parametrize(
    "path", ["/verify/%ff", "/login?next=%ff", "/admin/roles?q=%c3%28", "/password/reset/%ff%00"]
)
def test_non_utf8_address_is_a_clear_400(testapp, path):
    res = testapp.get(path, status=400)
    assert "not UTF-8" in res.text


def test_nul_in_token_is_an_invalid_link(testapp, journal):
    assert "not valid" in testapp.get("/password/reset/abc%00def", status=400).text


def test_change_password_keeps_this_session_and_ends_others(testapp, wsgi_app, journal):
    import webtest

    with app_session(wsgi_app) as db:
        make_user(db, "hopper@example.org")
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    post_sign_in(other, "hopper@example.org")
    post_sign_in(testapp, "hopper@example.org")
    page = testapp.get("/account/password")
    wrong = testapp.post(
        "/account/password",
        {
            "csrf_token": csrf(page),
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert "current password is not correct" in wrong.text
    assert 'value="not my password"' not in wrong.text  # passwords are never echoed
    res = testapp.post(
        "/account/password",
        {
            "csrf_token": csrf(page),
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert res.status_int == 302
    assert testapp.get("/account").status_int == 200
    assert other.get("/account").status_int == 302


def test_reset_emails_are_limited_per_hour(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "busy@example.org")
    for _ in range(5):
        page = testapp.get("/password/reset")
        res = testapp.post(
            "/password/reset", {"csrf_token": csrf(page), "email": "busy@example.org"}
        )
        assert "If an account exists" in res.text  # the same answer every time
    assert len(mails_to(wsgi_app, "busy@example.org")) == 3


def test_sign_in_never_redirects_off_site(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    page = testapp.get("/login", {"next": "//evil.example.org/x"})
    res = testapp.post(
        "/login",
        {
            "csrf_token": csrf(page),
            "email": "ada@example.org",
            "password": DEFAULT_PASSWORD,
            "next": "//evil.example.org/x",
        },
    )
    assert res.headers["Location"] == "http://localhost/"


def test_sign_in_returns_to_the_page_asked_for(testapp, wsgi_app, journal):
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    login_page = testapp.get("/account").follow()  # sent to sign in, with next=/account
    form = next(f for f in login_page.forms.values() if "email" in f.fields)
    form["email"] = "ada@example.org"
    form["password"] = DEFAULT_PASSWORD
    assert form.submit().headers["Location"].endswith("/account")


def test_resend_verification_is_limited(testapp, wsgi_app, journal):
    register(testapp, email="new@example.org")  # the first link
    for _ in range(3):
        page = testapp.get("/account")
        res = testapp.post("/verify-again", {"csrf_token": csrf(page)}).follow()
    assert "already sent several links" in res.text
    assert len(mails_to(wsgi_app, "new@example.org")) == 3


def test_refused_values_are_shown_escaped(testapp, journal):
    res = register(testapp, email="<script>alert(1)</script>", given_name='"><b>x</b>')
    assert "<script>alert(1)</script>" not in res.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in res.text
    assert "<b>x</b>" not in res.text


def test_register_works_before_any_journal_exists(testapp, wsgi_app):
    res = register(testapp, email="first@example.org")
    assert res.status_int == 302
    (mail,) = mails_to(wsgi_app, "first@example.org")
    assert mail.subject == "Confirm your email address for FDE Press"


def test_oversized_form_body_is_refused(testapp, journal):
    page = testapp.get("/register")
    res = testapp.post(
        "/register",
        {"csrf_token": csrf(page), "given_name": "A" * (1024 * 1024 + 10)},
        status=413,
    )
    assert "too large: at most 1024 KiB" in res.text
    assert "<main" in res.text  # the site's own error page
    assert "Traceback" not in res.text


# The toolbar hooks into every SQLAlchemy engine of the process; its app commits for real.
@pytest.mark.commits
def test_sign_in_works_with_the_debug_toolbar_of_development_ini(wsgi_app, app_settings, journal):
    """The toolbar reads every request attribute after the transaction has ended (the
    user's language among them); that must not break the page it wraps. (``wsgi_app``
    empties the tables afterwards.)"""
    import webtest

    from frontiers_de import main

    settings = {
        **app_settings,
        "pyramid.includes": "pyramid_debugtoolbar",
        "debugtoolbar.hosts": "0.0.0.0/0 ::/0",
    }
    app = main({}, **settings)
    client = webtest.TestApp(
        app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "127.0.0.1"}
    )
    with app_session(app) as db:
        make_user(db, "ada@example.org")
    page = client.get("/login")
    res = client.post(
        "/login",
        {"csrf_token": csrf(page), "email": "ada@example.org", "password": DEFAULT_PASSWORD},
    )
    assert res.status_int == 302
    assert "ada@example.org" in client.get("/account").text
