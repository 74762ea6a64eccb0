"""The daily digest: one email per user and day listing the kept notifications with their
links, sent once however often it runs (both databases)."""

from __future__ import annotations

import datetime as dt

from frontiers_de.mail.digest import send_digests
from frontiers_de.mail.models import Delivery, DigestItem, NotificationDigest
from frontiers_de.mail.preferences import set_preferences
from frontiers_de.mail.services import send_email
from tests.factories import make_journal, make_user
from tests.notifications import BASE, SETTINGS, outbox

# Items are kept at the real time; the runs happen on the next day at fixed hours.
TOMORROW = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
NOW = dt.datetime.combine(TOMORROW, dt.time(9, 0), tzinfo=dt.UTC) - dt.timedelta(days=1)


def _notify(db, user, number, journal):
    send_email(
        db,
        SETTINGS,
        "editorial_handling_editor",
        [user.email],
        {
            "name": user.display_name,
            "lang": user.preferred_language,
            "title": f"Paper {number}",
            "number": number,
            "by": "",
            "link": f"{BASE}/editorial/submissions/{number}/review",
            "journal": journal,
        },
        journal,
    )


def _digest_user(db, email="ada@example.org", lang="en"):
    user = make_user(db, email, preferred_language=lang)
    set_preferences(db, user.id, {"editor_papers": Delivery.DIGEST})
    return user


def test_one_email_lists_every_kept_item_with_its_link(dbsession):
    journal = make_journal(dbsession)
    user = _digest_user(dbsession)
    _notify(dbsession, user, 11, journal)
    _notify(dbsession, user, 12, journal)
    report = send_digests(dbsession, SETTINGS, NOW + dt.timedelta(days=1))
    assert (report.sent, report.items) == (1, 2)
    (mail,) = outbox(dbsession)
    assert mail.template == "mail_digest" and mail.recipients == [user.email]
    assert "2 notifications" in mail.subject
    for number in (11, 12):
        assert f"{BASE}/editorial/submissions/{number}/review" in mail.body_text
    assert f"{BASE}/account/notifications" in mail.body_text
    assert all(i.digest_id is not None for i in dbsession.query(DigestItem))


def test_a_second_run_the_same_day_sends_nothing_again(dbsession):
    journal = make_journal(dbsession)
    user = _digest_user(dbsession)
    _notify(dbsession, user, 11, journal)
    later = NOW + dt.timedelta(days=1)
    assert send_digests(dbsession, SETTINGS, later).sent == 1
    # Something new the same day waits for tomorrow's digest.
    _notify(dbsession, user, 12, journal)
    again = send_digests(dbsession, SETTINGS, later + dt.timedelta(hours=2))
    assert (again.sent, again.already) == (0, 1)
    assert len(outbox(dbsession)) == 1
    tomorrow = send_digests(dbsession, SETTINGS, later + dt.timedelta(days=1))
    assert tomorrow.sent == 1 and tomorrow.items == 1
    assert dbsession.query(NotificationDigest).count() == 2


def test_nothing_kept_nothing_sent(dbsession):
    make_user(dbsession, "ada@example.org")
    assert send_digests(dbsession, SETTINGS, NOW + dt.timedelta(days=1)).sent == 0
    assert outbox(dbsession) == []


def test_the_beat_waits_for_the_digest_hour(dbsession):
    journal = make_journal(dbsession)
    user = _digest_user(dbsession)
    _notify(dbsession, user, 11, journal)
    early = dt.datetime(2026, 12, 4, 5, 30, tzinfo=dt.UTC)
    settings = {**SETTINGS, "mail.digest_hour": "6"}
    assert send_digests(dbsession, settings, early, from_hour=True).sent == 0
    assert (
        send_digests(dbsession, settings, early + dt.timedelta(hours=1), from_hour=True).sent == 1
    )


def test_the_digest_speaks_the_users_language(dbsession):
    journal = make_journal(dbsession)
    user = _digest_user(dbsession, lang="zh")
    _notify(dbsession, user, 11, journal)
    send_digests(dbsession, SETTINGS, NOW + dt.timedelta(days=1))
    (mail,) = outbox(dbsession)
    assert "每日摘要" in mail.subject and "1 条通知" in mail.subject


def test_an_inactive_user_gets_no_digest(dbsession):
    journal = make_journal(dbsession)
    user = _digest_user(dbsession)
    _notify(dbsession, user, 11, journal)
    user.is_active = False
    assert send_digests(dbsession, SETTINGS, NOW + dt.timedelta(days=1)).sent == 0
