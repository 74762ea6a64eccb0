"""Issue 9, item 7h: what an unconfirmed account may do is one rule, and the verification
email says the same.

The rule is ``accounts.services.UNCONFIRMED_MAY`` / ``NEEDS_CONFIRMED``. These tests hold
the app and the email to it: every action of the rule is tried through the real app by an
unconfirmed and by a confirmed account (a new action without a probe here fails), and the
verification email lists each entry under the right heading, in English and Chinese."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import webtest
from pyramid.i18n import make_localizer
from sqlalchemy import select

import frontiers_de
from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import (
    NEEDS_CONFIRMED,
    UNCONFIRMED_MAY,
    AccountAction,
    account_may,
    needs_confirmed_address,
)
from frontiers_de.review import services as review_services
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission
from tests.factories import (
    DEFAULT_PASSWORD,
    FAST_HASHER,
    UserFactory,
    app_session,
    make_journal,
    make_user,
)
from tests.functional.test_accounts import mails_to, register
from tests.functional.test_peer_review import DUE, arrange
from tests.web import csrf, post_sign_in

LOCALE_DIR = str(Path(frontiers_de.__file__).parent / "locale")
OTHER_PASSWORD = "seven swans on a grey lake"


def test_every_action_is_in_exactly_one_list():
    assert set(UNCONFIRMED_MAY) | set(NEEDS_CONFIRMED) == set(AccountAction)
    assert not set(UNCONFIRMED_MAY) & set(NEEDS_CONFIRMED)
    unconfirmed = UserFactory.build(verified=False, is_active=True)
    for action in AccountAction:
        assert needs_confirmed_address(action) == (action in NEEDS_CONFIRMED)
        assert account_may(unconfirmed, action) == (action in UNCONFIRMED_MAY)
        assert not account_may(None, action)


def sections(body: str, first: str, second: str) -> tuple[str, str]:
    """The text under the "before confirming" and the "once confirmed" headings."""
    assert first in body and second in body, body
    before = body.split(first, 1)[1].split(second, 1)[0]
    after = body.split(second, 1)[1]
    return " ".join(before.split()), " ".join(after.split())


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("en", "Before you confirm", "Once your address is confirmed"),
        ("zh", "确认之前", "确认之后"),
    ],
)
def test_the_verification_email_lists_what_the_rule_allows(testapp, wsgi_app, lang, first, second):
    with app_session(wsgi_app) as db:
        make_journal(db)
    register(testapp, "lin@example.org", preferred_language=lang)
    (mail,) = mails_to(wsgi_app, "lin@example.org")
    before, after = sections(mail.body_text, first, second)
    localizer = make_localizer(lang, [LOCALE_DIR])
    for label in UNCONFIRMED_MAY.values():
        text = " ".join(localizer.translate(label).split())
        assert text in before and text not in after, (text, mail.body_text)
    for label in NEEDS_CONFIRMED.values():
        text = " ".join(localizer.translate(label).split())
        assert text in after and text not in before, (text, mail.body_text)
    if lang == "zh":
        # Every entry is really translated, not English left in the Chinese mail.
        for label in (*UNCONFIRMED_MAY.values(), *NEEDS_CONFIRMED.values()):
            assert localizer.translate(label) != label.interpolate()


# --- the app keeps the same rule: one probe per action, tried by both kinds of account --------


def _probe_sign_in(client: webtest.TestApp, world: dict) -> bool:
    client.reset()
    return post_sign_in(client, world["email"]).status_int == 302


def _probe_profile(client: webtest.TestApp, world: dict) -> bool:
    page = client.get("/account")
    res = client.post(
        "/account",
        {
            "csrf_token": csrf(page),
            "given_name": "Lin",
            "family_name": "Wang",
            "preferred_language": "en",
        },
    )
    return res.status_int == 302


def _probe_password(client: webtest.TestApp, world: dict) -> bool:
    page = client.get("/account/password")
    res = client.post(
        "/account/password",
        {
            "csrf_token": csrf(page),
            "current_password": DEFAULT_PASSWORD,
            "password": OTHER_PASSWORD,
            "password_confirm": OTHER_PASSWORD,
        },
    )
    return res.status_int == 302


def _probe_email(client: webtest.TestApp, world: dict) -> bool:
    page = client.get("/account/email")
    res = client.post(
        "/account/email",
        {
            "csrf_token": csrf(page),
            "email": "other-" + world["email"],
            "password": DEFAULT_PASSWORD,
        },
    )
    return res.status_int == 302


def _probe_submit(client: webtest.TestApp, world: dict) -> bool:
    return client.get("/submissions/new", expect_errors=True).status_int == 200


def _probe_review(client: webtest.TestApp, world: dict) -> bool:
    page = client.get("/reviews")
    client.post(
        f"/reviews/{world['assignment']}/answer", {"csrf_token": csrf(page), "action": "accept"}
    )
    with app_session(world["app"]) as db:
        return db.get(ReviewAssignment, world["assignment"]).state == AssignmentState.ACCEPTED


PROBES: dict[AccountAction, Callable[[webtest.TestApp, dict], bool]] = {
    AccountAction.SIGN_IN: _probe_sign_in,
    AccountAction.EDIT_PROFILE: _probe_profile,
    AccountAction.CHANGE_PASSWORD: _probe_password,
    AccountAction.CHANGE_EMAIL: _probe_email,
    AccountAction.SUBMIT: _probe_submit,
    AccountAction.REVIEW: _probe_review,
}


def test_every_action_has_a_probe():
    assert set(PROBES) == set(AccountAction)


@pytest.mark.parametrize("confirmed", [False, True], ids=["unconfirmed", "confirmed"])
@pytest.mark.parametrize("action", list(AccountAction), ids=str)
def test_the_app_follows_the_rule(wsgi_app, app_settings, action, confirmed):
    sid = arrange(wsgi_app, app_settings)
    email = f"{action.value.replace('_', '-')}@example.org"
    with app_session(wsgi_app) as db:
        user = make_user(db, email, verified=confirmed, roles=[Role.REVIEWER])
        submission = db.get(Submission, sid)
        editor = db.scalar(select(User).where(User.email_key == "editor@example.org"))
        invitation = review_services.invite(db, submission, editor, reviewer_id=user.id, due=DUE)
        # Inviting takes an unconfirmed account's password; give it one again, so that the
        # probe shows what the rule (not the missing password) allows.
        user.password_hash = FAST_HASHER.hash(DEFAULT_PASSWORD)
        assignment = invitation.assignment.id
    client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    assert post_sign_in(client, email).status_int == 302
    world = {"email": email, "assignment": assignment, "app": wsgi_app}
    expected = confirmed or not needs_confirmed_address(action)
    assert PROBES[action](client, world) is expected
