"""The periodic purge of throttle rows that no longer count."""

from __future__ import annotations

from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session, task_settings
from frontiers_de.throttling.settings import ThrottleSettings


@celery_app.task(name="frontiers_de.throttling.purge", ignore_result=True)
def purge() -> int:
    """Delete throttle rows older than their scope's window (run by beat every hour).
    Clients that come back clear their own old rows; this catches the ones that do not."""
    from frontiers_de.throttling.services import ClientThrottle

    with task_session() as db:
        return ClientThrottle.from_settings(db, task_settings()).purge()


# Throttle rows of clients that did not come back (the others clear their own).
periodic(
    "purge-throttle-events", "frontiers_de.throttling.purge", ThrottleSettings, "purge_interval"
)
