"""The periodic sweep (beat): send again the deposits that are due, and read back the
registered DOIs Crossref's REST API did not show yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord
from frontiers_de.crossref.services.queueing import JOB_KIND, SEND_DEPOSIT
from frontiers_de.crossref.services.readback import check_metadata
from frontiers_de.crossref.services.records import REGISTERED_STATES
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.db.meta import utcnow
from frontiers_de.db.scope import session_scope
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.tasks import registered_task

# How long a new deposit is left to the task enqueued after its commit.
FRESH_SECONDS = 120


@dataclass
class SweepReport:
    sent: list[int] = field(default_factory=list)  # job ids run or enqueued
    checked: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.sent)} deposit(s) retried, {len(self.checked)} DOI(s) read back"


def deposit_job(db: Session, deposit: DoiDeposit) -> Job | None:
    """The latest job that sends ``deposit``."""
    return db.scalar(
        select(Job)
        .where(
            Job.kind == JOB_KIND,
            Job.target_type == DoiDeposit.__tablename__,
            Job.target_id == deposit.id,
        )
        .order_by(Job.id.desc())
        .limit(1)
    )


def sweep(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    run: Callable[[int], Any] | None = None,
    limit: int = 50,
) -> SweepReport:
    """Send again the deposits that are due (queued or submitted, backoff passed), through
    their job (``run(job_id)``, by default the ``send_deposit`` task), and read back the
    registered DOIs that Crossref's REST API did not show yet."""
    now = now or utcnow()
    report = SweepReport()
    if run is None:

        def run(job_id: int) -> Any:
            return registered_task(SEND_DEPOSIT).apply_async(args=(job_id,))

    with session_scope(session_factory) as db:
        due = list(
            db.scalars(
                select(DoiDeposit)
                .where(
                    DoiDeposit.state.in_((DepositState.QUEUED, DepositState.SUBMITTED)),
                    or_(DoiDeposit.next_attempt_at.is_(None), DoiDeposit.next_attempt_at <= now),
                    # A new deposit is its after-commit task's; the sweep takes it only when
                    # that task never came (broker down, no transaction manager).
                    or_(
                        DoiDeposit.attempts > 0,
                        DoiDeposit.created_at <= now - dt.timedelta(seconds=FRESH_SECONDS),
                    ),
                )
                .order_by(DoiDeposit.id)
                .limit(limit)
            )
        )
        job_ids = []
        for deposit in due:
            job = deposit_job(db, deposit)
            if job is None or job.state is JobState.DONE:
                job = Job(
                    kind=JOB_KIND,
                    target_type=DoiDeposit.__tablename__,
                    target_id=deposit.id,
                    journal_id=deposit.journal_id,
                )
                db.add(job)
            job.state = JobState.QUEUED
            db.flush()
            job_ids.append(job.id)
        # The REST read-back is tried again this long after registration while Crossref's
        # API does not show the DOI yet (its index lags behind deposits).
        window = now - dt.timedelta(days=CrossrefSettings.of(settings).readback_days)
        unchecked = list(
            db.scalars(
                select(DoiRecord.doi)
                .where(
                    DoiRecord.state.in_(REGISTERED_STATES),
                    DoiRecord.metadata_checked_at.is_(None),
                    DoiRecord.registered_at >= window,
                )
                .limit(limit)
            )
        )
    for job_id in job_ids:
        run(job_id)
        report.sent.append(job_id)
    if unchecked:
        report.checked = check_metadata(session_factory, settings, unchecked)
    return report
