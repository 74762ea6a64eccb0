"""The daily digest: one email per user listing the notifications they chose to have in a
digest (``mail.preferences``), each with its link, kept as :class:`DigestItem` rows by
:func:`frontiers_de.mail.services.send_email` since the last digest.

At most one digest per user and day (a :class:`NotificationDigest` row, unique per user and
day, made in the same savepoint as the email): a second run on the same day, by hand
(``fde mail digest``) or by the beat, sends nothing again, even when two runs race. What
arrives after the day's digest waits for the next day's. The beat runs the task every
``mail.digest_interval`` seconds and sends from ``mail.digest_hour`` (UTC) on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.journals.models import Journal
from frontiers_de.mail.kinds import DIGEST_TEMPLATE
from frontiers_de.mail.links import email_url
from frontiers_de.mail.models import DigestItem, NotificationDigest
from frontiers_de.mail.services import deliver_after_commit, queue_email
from frontiers_de.mail.settings import MailSettings


@dataclass
class DigestReport:
    sent: int = 0  # digests queued
    items: int = 0  # notifications they list
    already: int = 0  # users whose digest of the day went out before

    def __str__(self) -> str:
        return (
            f"{self.sent} digest(s) with {self.items} notification(s) queued, "
            f"{self.already} already sent today"
        )


def pending_items(db: Session, user_id: int, until: dt.datetime) -> list[DigestItem]:
    """The user's notifications not yet in a digest, kept up to ``until``, oldest first."""
    return list(
        db.scalars(
            select(DigestItem)
            .where(
                DigestItem.user_id == user_id,
                DigestItem.digest_id.is_(None),
                DigestItem.created_at <= until,
            )
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )


def _send_one(
    db: Session, settings: Mapping[str, Any], user: User, day: dt.date, now: dt.datetime
) -> int | None:
    """Queue ``user``'s digest for ``day`` (None when it went out before); how many
    notifications it lists."""
    items = pending_items(db, user.id, now)
    if not items:
        return 0
    try:
        with db.begin_nested():
            digest = NotificationDigest(user_id=user.id, day=day)
            db.add(digest)
            db.flush()
    except IntegrityError:
        return None  # this user's digest of the day exists (an earlier or a parallel run)
    journal = db.get(Journal, items[0].journal_id) if items[0].journal_id else None
    email = queue_email(
        db,
        settings,
        DIGEST_TEMPLATE,
        [user.email],
        {
            "lang": user.preferred_language,
            "name": user.display_name,
            "day": day.isoformat(),
            "items": [
                {
                    "time": item.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                    "subject": item.subject,
                    "link": item.link,
                }
                for item in items
            ],
            "preferences_link": email_url(settings, "accounts.notifications"),
        },
        journal,
    )
    digest.email_id = email.id
    for item in items:
        item.digest_id = digest.id
    db.flush()
    tm = db.info.get("tm")
    if tm is not None:
        deliver_after_commit(tm, email.id)
    return len(items)


def send_digests(
    db: Session,
    settings: Mapping[str, Any],
    now: dt.datetime | None = None,
    *,
    from_hour: bool = False,
) -> DigestReport:
    """Queue the day's digest of every user who has notifications waiting for one.
    ``from_hour``: only once the day has reached ``mail.digest_hour`` (the beat's runs;
    by hand it is sent at once)."""
    now = now or utcnow()
    report = DigestReport()
    if from_hour and now.hour < MailSettings.of(settings).digest_hour:
        return report
    user_ids = db.scalars(
        select(DigestItem.user_id)
        .where(DigestItem.digest_id.is_(None), DigestItem.created_at <= now)
        .distinct()
        .order_by(DigestItem.user_id)
    ).all()
    for user_id in user_ids:
        user = db.get(User, user_id)
        if user is None or not user.is_active:
            continue
        listed = _send_one(db, settings, user, now.date(), now)
        if listed is None:
            report.already += 1
        elif listed:
            report.sent += 1
            report.items += listed
    return report
