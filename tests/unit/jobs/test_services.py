"""User-visible jobs: queued after commit, running, done with a result, failed with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.db import get_session_factory
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.jobs.services import JobFailed, create_job, run_job, start_job
from frontiers_de.scripting import app_request
from frontiers_de.tasks import celery_app
from tests.conftest import _clean_tables

runs: list[int] = []


@celery_app.task(name="tests.jobs.count_words")
def count_words(job_id: int, text: str = "", fail: str = "") -> None:
    with run_job(job_id) as run:
        if run is None:
            return
        runs.append(job_id)
        run.db.add(Job(kind="side-effect", target_type="test"))  # rolled back on failure
        if fail == "expected":
            raise JobFailed("The manuscript has no text to count.")
        if fail == "bug":
            raise ZeroDivisionError("division by zero")
        run.result = {"words": len(text.split())}


@pytest.fixture
def committed(engine):
    runs.clear()
    yield get_session_factory(engine)
    _clean_tables(engine)


def _jobs(session_factory, kind: str = "count") -> list[Job]:
    with session_factory() as db:
        return list(db.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))


def test_job_runs_after_commit_and_records_done(app_settings, committed):
    with app_request(app_settings) as request:
        job = start_job(request, count_words, "count", text="one two three")
        assert job.state is JobState.QUEUED
        assert runs == []  # not before the commit
    (done,) = _jobs(committed)
    assert runs == [done.id]
    assert done.state is JobState.DONE and done.result == {"words": 3}
    assert done.attempts == 1 and done.started_at and done.finished_at and done.error == ""
    assert len(_jobs(committed, "side-effect")) == 1


def test_expected_failure_is_recorded_with_its_reason(app_settings, committed):
    with app_request(app_settings) as request:
        start_job(request, count_words, "count", fail="expected")
    (failed,) = _jobs(committed)
    assert failed.state is JobState.FAILED
    assert failed.error == "The manuscript has no text to count."
    # The work of the failed run was rolled back; only the state was recorded.
    assert _jobs(committed, "side-effect") == []


def test_unexpected_failure_is_recorded_and_raised(app_settings, committed):
    with app_request(app_settings) as request:
        job_id = create_job(request.db, "count").id
    with pytest.raises(ZeroDivisionError):
        count_words(job_id, fail="bug")
    (failed,) = _jobs(committed)
    assert failed.state is JobState.FAILED
    assert failed.error == "ZeroDivisionError: division by zero"


def test_a_failed_job_can_run_again_and_a_done_job_does_not(app_settings, committed):
    with app_request(app_settings) as request:
        job_id = create_job(request.db, "count").id
    count_words(job_id, text="a b", fail="expected")
    count_words(job_id, text="a b c")
    count_words(job_id, text="a b c d")  # re-delivered: already done, nothing happens
    (job,) = _jobs(committed)
    assert (job.state, job.attempts, job.result, job.error) == (JobState.DONE, 2, {"words": 3}, "")
    assert runs == [job_id, job_id]


def test_a_failed_request_never_enqueues(app_settings, committed):
    with pytest.raises(RuntimeError), app_request(app_settings) as request:
        start_job(request, count_words, "count", text="never")
        raise RuntimeError("request failed")
    assert _jobs(committed) == [] and runs == []


def test_a_missing_job_is_skipped(app_settings, committed):
    with app_request(app_settings):
        pass
    count_words(999_999)
    assert runs == []


def test_a_job_needs_a_kind(dbsession):
    with pytest.raises(ValueError, match="kind"):
        create_job(dbsession, "")
