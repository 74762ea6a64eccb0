"""Background jobs that users can see: queued → running → done, or failed with a reason.

A view (or service) creates the job in its own transaction and enqueues the task with the
job's id after commit::

    job = start_job(request, typeset_article, kind="typeset", target=article)

and the task does its work inside :func:`run_job`, which reloads the job by id, marks it
running in a transaction of its own (so users see it), runs the work in a second
transaction, and records ``done`` in that same transaction — or, when the work raises,
rolls the work back and records ``failed`` with the reason::

    @celery_app.task(name="frontiers_de.production.typeset")
    def typeset_article(job_id: int) -> None:
        with run_job(job_id) as run:
            if run is None:
                return  # already done, or gone: a re-delivered task does nothing
            article = run.db.get(Article, run.job.target_id)
            ...
            run.result = {"pages": 12}

Raise :class:`JobFailed` for an expected failure whose message users should read (it is
recorded and not re-raised); any other exception is recorded as well and then re-raised so
that the worker logs it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.jobs.models import Job, JobState

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 4000


class JobFailed(Exception):
    """An expected failure; its message is what the user sees on the job."""


def create_job(
    db: Session,
    kind: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    journal_id: int | None = None,
    created_by_id: int | None = None,
) -> Job:
    """Add a queued job in ``db``'s transaction and give it an id."""
    if not kind:
        raise ValueError("a job needs a kind")
    job = Job(
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        journal_id=journal_id,
        created_by_id=created_by_id,
        state=JobState.QUEUED,
    )
    db.add(job)
    db.flush()
    return job


def start_job(request: Any, task: Any, kind: str, target: Any = None, **task_kwargs: Any) -> Job:
    """Create a job for ``target`` in the request's transaction and run ``task(job.id)``
    after it commits."""
    from frontiers_de.tasks import enqueue_after_commit

    user = getattr(request, "user", None)
    job = create_job(
        request.db,
        kind,
        target_type=type(target).__tablename__ if target is not None else "",
        target_id=getattr(target, "id", None),
        journal_id=getattr(target, "journal_id", None),
        created_by_id=getattr(user, "id", None),
    )
    enqueue_after_commit(request.tm, task, job.id, **task_kwargs)
    return job


@dataclass
class JobRun:
    """What the work inside :func:`run_job` gets: its session and the job row."""

    db: Session
    job: Job
    result: dict[str, Any] = field(default_factory=dict)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@contextmanager
def run_job(job_id: int) -> Iterator[JobRun | None]:
    """Run one job's work with its state recorded (see the module docstring).

    Yields None when the job does not exist or is already done, so a task delivered twice
    does its work once.
    """
    from frontiers_de.tasks import task_session

    with task_session() as db:
        job = db.get(Job, job_id)
        if job is None or job.state == JobState.DONE:
            skip = True
        else:
            skip = False
            job.state = JobState.RUNNING
            job.attempts += 1
            job.started_at = _now()
            job.error = ""
    if skip:
        log.info("job %s is gone or already done; nothing to do", job_id)
        yield None
        return

    failure: BaseException | None = None
    try:
        with task_session() as db:
            job = db.get(Job, job_id)
            assert job is not None
            run = JobRun(db=db, job=job)
            yield run
            job.state = JobState.DONE
            job.result = run.result
            job.finished_at = _now()
    except Exception as exc:
        failure = exc
    if failure is None:
        return
    reason = (
        str(failure) if isinstance(failure, JobFailed) else (f"{type(failure).__name__}: {failure}")
    )
    with task_session() as db:
        job = db.get(Job, job_id)
        if job is not None:
            job.state = JobState.FAILED
            job.error = reason[:MAX_ERROR_LENGTH]
            job.finished_at = _now()
    log.warning("job %s failed: %s", job_id, reason)
    if not isinstance(failure, JobFailed):
        raise failure
