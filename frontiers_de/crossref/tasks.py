"""Background work for DOI registration: sending one deposit, and the periodic sweep."""

from __future__ import annotations

from frontiers_de.crossref import services
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.jobs.services import JobFailed, run_job
from frontiers_de.settings import periodic
from frontiers_de.tasks import celery_app, task_session_factory, task_settings


@celery_app.task(name=services.SEND_DEPOSIT, ignore_result=True)
def send_deposit(job_id: int) -> None:
    """Send the deposit of job ``job_id`` and record each DOI's outcome. The job shows
    whether it went through; a deposit Crossref could not take yet stays queued or
    submitted, the job says when it is tried again, and the sweep does it."""
    with run_job(job_id) as run:
        if run is None:
            return
        deposit_id = run.job.target_id
        if deposit_id is None:
            raise JobFailed("the job names no deposit")
        outcome = services.process_deposit(task_session_factory(), task_settings(), deposit_id)
        run.result = {
            "deposit_id": deposit_id,
            "state": outcome.state.value if outcome.state else None,
            "outcomes": outcome.outcomes,
        }
        if outcome.retry_at is not None:
            raise JobFailed(outcome.message)
        if outcome.state is not None and outcome.state.value == "failed":
            raise JobFailed(outcome.message)


@celery_app.task(name="frontiers_de.crossref.sweep_deposits", ignore_result=True)
def sweep_deposits() -> str:
    """Retry deposits that are due and read back registered DOIs (run by beat)."""
    return str(services.sweep(task_session_factory(), task_settings()))


# Deposits Crossref could not take, and read-backs its REST API could not answer.
periodic(
    "sweep-doi-deposits", "frontiers_de.crossref.sweep_deposits", CrossrefSettings, "sweep_interval"
)
