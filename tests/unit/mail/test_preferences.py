"""The per-user choice between at once, the daily digest and off, and the gate in
send_email that applies it (both databases)."""

from __future__ import annotations

import pytest
from webob.multidict import MultiDict

from frontiers_de.mail.models import Delivery, DigestItem, NotificationPreference
from frontiers_de.mail.preferences import (
    PreferenceError,
    preferences_of,
    read_choices,
    route,
    set_preferences,
)
from frontiers_de.mail.services import mail_held, send_email
from tests.factories import make_journal, make_user
from tests.notifications import BASE, SETTINGS, outbox

CONTEXT = {
    "name": "Ada",
    "title": "Tutoring at scale",
    "number": 7,
    "by": "",
    "link": f"{BASE}/editorial/submissions/7/review",
}


def _send(db, to, journal=None):
    return send_email(
        db, SETTINGS, "editorial_handling_editor", to, {**CONTEXT, "journal": journal}, journal
    )


def test_no_choice_means_at_once_and_fixed_kinds_stay_at_once(dbsession):
    user = make_user(dbsession, "ada@example.org")
    chosen = preferences_of(dbsession, user.id)
    assert set(chosen.values()) == {Delivery.IMMEDIATE}
    # A stored row for a fixed kind (only possible by hand) changes nothing.
    dbsession.add(NotificationPreference(user_id=user.id, kind="account", delivery=Delivery.OFF))
    dbsession.flush()
    assert preferences_of(dbsession, user.id)["account"] is Delivery.IMMEDIATE
    assert route(dbsession, "accounts_reset", [user.email]).now == [user.email]


def test_set_preferences_stores_only_what_differs_from_at_once(dbsession):
    user = make_user(dbsession, "ada@example.org")
    set_preferences(dbsession, user.id, {"editor_papers": Delivery.OFF})
    set_preferences(dbsession, user.id, {"editor_reviews": Delivery.DIGEST})
    assert preferences_of(dbsession, user.id)["editor_papers"] is Delivery.OFF
    set_preferences(dbsession, user.id, {"editor_papers": Delivery.IMMEDIATE})
    rows = dbsession.query(NotificationPreference).filter_by(user_id=user.id).all()
    assert [(r.kind, r.delivery) for r in rows] == [("editor_reviews", Delivery.DIGEST)]


def test_off_queues_nothing_for_that_user(dbsession):
    journal = make_journal(dbsession)
    user = make_user(dbsession, "ada@example.org")
    set_preferences(dbsession, user.id, {"editor_papers": Delivery.OFF})
    assert _send(dbsession, ["ADA@example.org"], journal) is None  # found by address, any case
    assert outbox(dbsession) == []
    assert dbsession.query(DigestItem).count() == 0


def test_digest_keeps_the_item_instead_of_sending(dbsession):
    journal = make_journal(dbsession)
    user = make_user(dbsession, "ada@example.org", preferred_language="zh")
    set_preferences(dbsession, user.id, {"editor_papers": Delivery.DIGEST})
    assert _send(dbsession, [user.email], journal) is None
    assert outbox(dbsession) == []
    (item,) = dbsession.query(DigestItem).all()
    assert item.user_id == user.id and item.kind == "editor_papers"
    assert item.template == "editorial_handling_editor"
    assert item.link == CONTEXT["link"] and item.digest_id is None
    assert item.journal_id == journal.id
    assert "7" in item.subject


def test_recipients_are_split_by_their_choices(dbsession):
    journal = make_journal(dbsession)
    off = make_user(dbsession, "off@example.org")
    digest = make_user(dbsession, "digest@example.org")
    make_user(dbsession, "now@example.org")
    set_preferences(dbsession, off.id, {"editor_papers": Delivery.OFF})
    set_preferences(dbsession, digest.id, {"editor_papers": Delivery.DIGEST})
    to = ["off@example.org", "digest@example.org", "now@example.org", "stranger@example.org"]
    row = _send(dbsession, to, journal)
    assert row is not None
    assert row.recipients == ["now@example.org", "stranger@example.org"]
    assert [i.user_id for i in dbsession.query(DigestItem)] == [digest.id]


def test_another_kind_is_not_affected(dbsession):
    user = make_user(dbsession, "ada@example.org")
    set_preferences(dbsession, user.id, {"editor_reviews": Delivery.OFF})
    assert _send(dbsession, [user.email]) is not None


def test_held_mail_keeps_nothing_for_the_digest_either(dbsession):
    user = make_user(dbsession, "ada@example.org")
    set_preferences(dbsession, user.id, {"editor_papers": Delivery.DIGEST})
    with mail_held(dbsession):
        assert _send(dbsession, [user.email]) is None
    assert dbsession.query(DigestItem).count() == 0


def test_a_single_string_is_still_refused(dbsession):
    with pytest.raises(TypeError):
        send_email(dbsession, SETTINGS, "editorial_handling_editor", "a@example.org", CONTEXT)


def test_read_choices_takes_the_kind_fields():
    form = MultiDict(
        [("csrf_token", "x"), ("kind.editor_papers", "digest"), ("kind.publication", "off")]
    )
    assert read_choices(form) == {
        "editor_papers": Delivery.DIGEST,
        "publication": Delivery.OFF,
    }


@pytest.mark.parametrize(
    ("pairs", "key", "words"),
    [
        ([("kind.publication", "weekly")], "publication", "At once"),
        ([("kind.publication", "off"), ("kind.publication", "digest")], "publication", "several"),
        ([("kind.account", "off")], "account", "always sent at once"),
        ([("kind.review_invitations", "digest")], "review_invitations", "always sent at once"),
        ([("kind.nonsense", "off")], "nonsense", "no kind of notification"),
    ],
)
def test_read_choices_refuses_with_a_reason(pairs, key, words):
    with pytest.raises(PreferenceError) as caught:
        read_choices(MultiDict([("kind.editor_papers", "off"), *pairs]))
    assert set(caught.value.errors) == {key}
    assert words in caught.value.errors[key].interpolate()
