"""The accounts emails go out from the subscribers of the accounts events, which the
account service announces: the links (verification, reset, first password, change of
address) and the notice to a confirmed old address, with every link under fde.base_url."""

from __future__ import annotations

import pytest

from frontiers_de.accounts.notifications import MAX_EMAILS_PER_WINDOW
from frontiers_de.mail.services import mail_held
from tests.factories import DEFAULT_PASSWORD, account_service, make_user
from tests.notifications import BASE, bind_subscribers, outbox, templates


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


def test_the_verification_link_is_emailed_in_the_users_language(dbsession):
    user = make_user(dbsession, "ada@example.org", verified=False, preferred_language="zh")
    accounts = account_service(dbsession)
    mail = accounts.send_verification_link(user)
    assert outbox(dbsession) == [mail]
    assert mail.template == "accounts_verify" and mail.recipients == ["ada@example.org"]
    assert f"{BASE}/verify/" in mail.body_text
    assert "确认" in mail.subject + mail.body_text  # the Chinese variant
    token = mail.body_text.split(f"{BASE}/verify/")[1].split()[0]
    assert accounts.user_for_verification(token) is user


def test_too_many_links_to_one_address_queue_nothing_more(dbsession):
    user = make_user(dbsession, "ada@example.org", verified=False)
    accounts = account_service(dbsession)
    for _ in range(MAX_EMAILS_PER_WINDOW):
        assert accounts.send_verification_link(user) is not None
    assert accounts.send_verification_link(user) is None
    assert accounts.send_reset_link(user) is not None  # another kind: counted apart
    assert templates(dbsession) == ["accounts_verify"] * MAX_EMAILS_PER_WINDOW + ["accounts_reset"]


def test_the_reset_and_first_password_links_open_the_reset_page(dbsession):
    user = make_user(dbsession, "ada@example.org")
    accounts = account_service(dbsession)
    reset = accounts.send_reset_link(user)
    first = accounts.send_set_password_link(user)
    assert [reset.template, first.template] == ["accounts_reset", "accounts_set_password"]
    for mail in (reset, first):
        token = mail.body_text.split(f"{BASE}/password/reset/")[1].split()[0]
        assert accounts.user_for_reset(token) is user


def test_the_change_link_goes_to_the_new_address_and_the_notice_to_the_old(dbsession):
    user = make_user(dbsession, "ada@example.org")
    accounts = account_service(dbsession)
    accounts.request_email_change(user, "ada.new@example.org", DEFAULT_PASSWORD)
    link = accounts.send_email_change_link(user)
    assert link.template == "accounts_change_email"
    assert link.recipients == ["ada.new@example.org"]
    token = link.body_text.split(f"{BASE}/account/email/confirm/")[1].split()[0]
    accounts.confirm_email_change(token)
    (notice,) = outbox(dbsession, "accounts_email_changed")
    assert notice.recipients == ["ada@example.org"]
    assert "ada.new@example.org" in notice.body_text and BASE in notice.body_text


def test_an_unconfirmed_old_address_hears_nothing_of_the_change(dbsession):
    user = make_user(dbsession, "ada@example.org", verified=False)
    accounts = account_service(dbsession)
    token = accounts.request_email_change(user, "ada.new@example.org", DEFAULT_PASSWORD)
    accounts.confirm_email_change(token)
    assert outbox(dbsession, "accounts_email_changed") == []


def test_held_mail_queues_nothing(dbsession):
    user = make_user(dbsession, "ada@example.org", verified=False)
    with mail_held(dbsession):
        assert account_service(dbsession).send_verification_link(user) is None
    assert outbox(dbsession) == []
