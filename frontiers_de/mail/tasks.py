"""Background delivery of the outbox: one email after its commit, and the periodic drain."""

from __future__ import annotations

from frontiers_de.mail import digest
from frontiers_de.mail.services import DELIVER_EMAIL, deliver, deliver_due
from frontiers_de.mail.settings import MailSettings
from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session, task_session_factory, task_settings


@celery_app.task(name=DELIVER_EMAIL, ignore_result=True)
def deliver_email(email_id: int) -> str | None:
    """Send outbox row ``email_id`` (reloaded by id; a row already sent is left alone)."""
    state = deliver(task_session_factory(), task_settings(), email_id)
    return state.value if state is not None else None


@celery_app.task(name="frontiers_de.mail.drain_outbox", ignore_result=True)
def drain_outbox() -> str:
    """Send every pending email that is due (run by beat every minute)."""
    return str(deliver_due(task_session_factory(), task_settings()))


# The beat drains the outbox: mail that could not go out at once, and retries.
periodic("drain-mail-outbox", "frontiers_de.mail.drain_outbox", MailSettings, "drain_interval")


@celery_app.task(name="frontiers_de.mail.send_digests", ignore_result=True)
def send_digests() -> str:
    """Queue each user's daily digest, once the day reaches ``mail.digest_hour`` (each
    user gets at most one a day: running again sends nothing twice)."""
    with task_session() as db:
        return str(digest.send_digests(db, task_settings(), from_hour=True))


# The daily digests of the notifications users chose to have in one.
periodic("mail-digest", "frontiers_de.mail.send_digests", MailSettings, "digest_interval")
