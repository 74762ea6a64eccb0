"""The periodic deletion of the usage counter's double-click marks: a use deletes the marks
past their 30-second window as it comes in; this catches the last ones of a quiet site, so
no hash outlives its window by more than the beat's interval."""

from __future__ import annotations

from frontiers_de.publishing.settings import PublishingSettings
from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session


@celery_app.task(name="frontiers_de.publishing.forget_usage_clicks", ignore_result=True)
def forget_usage_clicks() -> int:
    """Delete the double-click marks older than the window (idempotent)."""
    from frontiers_de.db.meta import utcnow
    from frontiers_de.publishing.usage import forget_expired_clicks

    with task_session() as db:
        return forget_expired_clicks(db, utcnow())


# Double-click marks of clients that did not come back (every use clears the old ones).
periodic(
    "forget-usage-clicks",
    "frontiers_de.publishing.forget_usage_clicks",
    PublishingSettings,
    "usage_purge_interval",
)
