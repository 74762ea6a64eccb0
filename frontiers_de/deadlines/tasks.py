"""The periodic deadline run (beat, every ``fde.deadlines.interval``): the reminders and
escalations that are due, each once (:func:`frontiers_de.deadlines.engine.run`)."""

from __future__ import annotations

from frontiers_de.deadlines.settings import DeadlineSettings
from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session, task_settings


@celery_app.task(name="frontiers_de.deadlines.run", ignore_result=True)
def run_deadlines() -> int:
    """Send what is due; how many reminders and escalations went out."""
    from frontiers_de.deadlines.engine import run

    settings = task_settings()
    with task_session() as db:
        return len(run(db, settings))


periodic("deadlines", "frontiers_de.deadlines.run", DeadlineSettings, "interval")
