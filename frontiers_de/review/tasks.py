"""The periodic review reminders (run by beat, every ``fde.review.reminder_interval``)."""

from __future__ import annotations

from frontiers_de.review.settings import ReviewSettings
from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session, task_settings


@celery_app.task(name="frontiers_de.review.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Queue the reminders that are due; each assignment gets each stage once."""
    from frontiers_de.review.reminders import send_due_reminders

    settings = task_settings()
    with task_session() as db:
        return len(send_due_reminders(db, settings))


# Reviewers who have not answered, whose review is due soon, or is late.
periodic(
    "review-reminders", "frontiers_de.review.send_reminders", ReviewSettings, "reminder_interval"
)
