"""DOI registration rules: assignment on acceptance, queueing, outcomes, retries, staleness.

The rules that need no Crossref run in a rolled-back session; sending and polling run
against the local stand-in on committed data (the services open their own transactions,
as the Celery task does)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.crossref import services
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.crossref.services import sending
from frontiers_de.db import get_session_factory
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.jobs.models import Job
from frontiers_de.submissions.models import Submission
from tests.conftest import SCHEMA_DIR, _clean_tables
from tests.crossref.world import (
    accept,
    crossref_settings,
    make_article,
    make_issue,
    make_world,
    published_paper,
    under_review,
)
from tests.factories import JournalFactory

YEAR = utcnow().year


@pytest.fixture
def world(dbsession):
    return make_world(dbsession)


def settings_for(standin=None, **extra):
    settings = {"fde.schema_dir": str(SCHEMA_DIR), "fde.base_url": "https://fde.example.org"}
    if standin is not None:
        settings.update(crossref_settings(standin))
    settings.update(extra)
    return settings


# --- assignment ------------------------------------------------------------------------


def test_acceptance_assigns_the_next_number_of_the_year(dbsession, world):
    first = accept(dbsession, world, under_review(dbsession, world, "One"))
    second = accept(dbsession, world, under_review(dbsession, world, "Two"))
    assert first.doi == f"10.5555/fde.{YEAR}.0001" and first.doi_number == 1
    assert second.doi == f"10.5555/fde.{YEAR}.0002" and second.doi_number == 2
    record = dbsession.scalar(select(DoiRecord).where(DoiRecord.doi == first.doi))
    assert record.state is DoiState.UNREGISTERED and record.article_id is None
    assert [e.state for e in record.events] == [DoiState.UNREGISTERED]
    assert f"submission {first.id}" in record.events[0].message


def test_numbers_restart_each_year_and_skip_taken_dois(dbsession, world):
    old = under_review(dbsession, world)
    old.accepted_at = dt.datetime(YEAR - 1, 6, 1, tzinfo=dt.UTC)
    old.doi, old.doi_number = f"10.5555/fde.{YEAR - 1}.0007", 7
    # An imported article already holds this year's number 1.
    make_article(dbsession, world, None, doi=f"10.5555/fde.{YEAR}.0001")
    sub = accept(dbsession, world, under_review(dbsession, world))
    assert sub.doi == f"10.5555/fde.{YEAR}.0002"


def test_a_pattern_without_year_counts_across_years(dbsession, world):
    world.journal.doi_suffix_pattern = "fde.{number:05d}"
    old = under_review(dbsession, world)
    old.accepted_at = dt.datetime(YEAR - 1, 6, 1, tzinfo=dt.UTC)
    old.doi, old.doi_number = "10.5555/fde.00041", 41
    sub = accept(dbsession, world, under_review(dbsession, world))
    assert sub.doi == "10.5555/fde.00042"


def test_acceptance_without_a_doi_prefix_still_accepts(dbsession, world):
    world.journal.doi_prefix = ""
    sub = accept(dbsession, world, under_review(dbsession, world))
    assert sub.state.value == "accepted" and sub.doi is None
    assert dbsession.scalar(select(DoiRecord)) is None


def test_assign_is_idempotent(dbsession, world):
    sub = accept(dbsession, world, under_review(dbsession, world))
    record = services.assign_doi(dbsession, sub)
    assert record.doi == sub.doi
    assert len(dbsession.scalars(select(DoiRecord)).all()) == 1


def test_concurrent_acceptances_get_distinct_numbers(engine):
    """Six editors accept six papers at the same moment, each in its own transaction."""
    factory = get_session_factory(engine)
    try:
        with factory() as db:
            world = make_world(db)
            ids = [under_review(db, world, f"Paper {n}").id for n in range(6)]
            editor_id = world.editor.id
            db.commit()
        start = threading.Barrier(len(ids))
        errors: list[BaseException] = []

        def accept_one(sub_id: int) -> None:
            try:
                with factory() as db:
                    sub = db.get(Submission, sub_id)
                    editor = db.get(type(world.editor), editor_id)
                    start.wait()
                    workflow.apply(db, sub, "decide", editor, decision=workflow.DecisionKind.ACCEPT)
                    db.commit()
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=accept_one, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors, errors
        with factory() as db:
            numbers = sorted(db.scalars(select(Submission.doi_number)))
            dois = set(db.scalars(select(DoiRecord.doi)))
        assert numbers == [1, 2, 3, 4, 5, 6]
        assert dois == {f"10.5555/fde.{YEAR}.{n:04d}" for n in range(1, 7)}
    finally:
        _clean_tables(engine)


# --- queueing -----------------------------------------------------------------------------


def test_queue_deposit_stores_a_valid_batch_and_queues_each_record(dbsession, world):
    articles = [published_paper(dbsession, world, f"Paper {n}") for n in range(2)]
    sent: list[tuple] = []
    result = services.queue_deposit(
        dbsession,
        articles,
        world.producer,
        settings=settings_for(),
        enqueue=lambda task, *args: sent.append((task, *args)),
    )
    deposit = result.deposit
    assert deposit is not None and not result.refused
    assert deposit.state is DepositState.QUEUED and deposit.timestamp > 20240000000000000
    assert all(a.doi in deposit.xml for a in articles)
    job = dbsession.get(Job, sent[0][1])
    assert sent == [("frontiers_de.crossref.send_deposit", job.id)]
    assert job.kind == "doi_deposit" and job.target_id == deposit.id
    assert job.created_by_id == world.producer.id
    for article in articles:
        record = services.record_of(dbsession, article)
        assert record.article_id == article.id and record.state is DoiState.QUEUED
        assert record.last_deposit_id == deposit.id
        assert record.events[-1].deposit_id == deposit.id


def test_a_journal_with_the_longest_code_still_stores_its_batches(dbsession, world):
    # Journal codes may be 40 characters; the batch id column holds 64 (PostgreSQL refuses
    # more; SQLite would not notice, so the length is checked here too).
    world.journal.code = "frontiers-of-digital-education-section-a"
    article = published_paper(dbsession, world)
    result = services.queue_deposit(
        dbsession, [article], None, settings=settings_for(), enqueue=_ignore
    )
    dbsession.flush()
    batch_id = result.deposit.batch_id
    assert len(batch_id) <= 64 and batch_id.startswith("frontiers-of-digital-education-se-")
    assert f"<doi_batch_id>{batch_id}</doi_batch_id>" in result.deposit.xml
    assert dbsession.scalar(select(DoiDeposit.batch_id)) == batch_id


def test_each_deposit_gets_a_newer_timestamp_and_its_own_batch_id(dbsession, world):
    article = published_paper(dbsession, world)
    settings = settings_for()
    first = services.queue_deposit(dbsession, [article], None, settings=settings, enqueue=_ignore)
    # One batch at a time per DOI: a second is refused while the first is on its way …
    refused = services.queue_deposit(dbsession, [article], None, settings=settings, enqueue=_ignore)
    assert refused.deposit is None and "still on its way" in refused.refused[article.id]
    assert services.record_of(dbsession, article).state is DoiState.QUEUED
    # … and queued once Crossref has answered the first.
    first.deposit.state = DepositState.COMPLETED
    second = services.queue_deposit(dbsession, [article], None, settings=settings, enqueue=_ignore)
    assert second.deposit.timestamp > first.deposit.timestamp
    assert second.deposit.batch_id != first.deposit.batch_id


def test_a_stored_timestamp_from_another_process_is_exceeded(dbsession, world):
    article = published_paper(dbsession, world)
    future = 99990101000000000
    dbsession.add(
        DoiDeposit(journal_id=world.journal.id, batch_id="other", timestamp=future, xml="")
    )
    result = services.queue_deposit(
        dbsession, [article], None, settings=settings_for(), enqueue=_ignore
    )
    assert result.deposit.timestamp == future + 1


def _ignore(task, *args):
    return None


def test_an_invalid_deposit_is_not_sent_and_the_record_shows_the_errors(dbsession, world):
    good = published_paper(dbsession, world, "Good")
    world.journal.issn_online = "12345"  # refused by the schema's ISSN pattern
    result = services.queue_deposit(
        dbsession, [good], None, settings=settings_for(), enqueue=_ignore
    )
    assert result.deposit is None and good.id in result.refused
    record = services.record_of(dbsession, good)
    assert record.state is DoiState.FAILED
    assert "invalid against the Crossref 5.4.0 schema" in record.message
    assert "issn" in record.message and "line " in record.message
    assert dbsession.scalar(select(DoiDeposit)) is None


def test_an_article_invalid_against_the_schema_is_left_out_of_the_batch(dbsession, world):
    good, bad, other = (published_paper(dbsession, world, t) for t in ("A", "B", "C"))
    # A publication year the schema refuses (before 1400); the builder takes it.
    bad.jats_xml = bad.jats_xml.replace(
        "<year>2025</year></pub-date>", "<year>1200</year></pub-date>", 1
    )
    result = services.queue_deposit(
        dbsession, [good, bad, other], None, settings=settings_for(), enqueue=_ignore
    )
    assert list(result.refused) == [bad.id]
    assert "1200" in result.refused[bad.id] and "minimum value" in result.refused[bad.id]
    assert good.doi in result.deposit.xml and other.doi in result.deposit.xml
    assert bad.doi not in result.deposit.xml
    assert services.record_of(dbsession, bad).state is DoiState.FAILED
    assert services.record_of(dbsession, other).state is DoiState.QUEUED


def test_one_unusable_article_does_not_hold_back_the_others(dbsession, world):
    good = published_paper(dbsession, world, "Good")
    broken = published_paper(dbsession, world, "Broken")
    broken.jats_xml = "<article><front>"
    result = services.queue_deposit(
        dbsession, [good, broken], None, settings=settings_for(), enqueue=_ignore
    )
    assert result.deposit is not None and good.doi in result.deposit.xml
    assert broken.doi not in result.deposit.xml
    assert "cannot be read" in result.refused[broken.id]
    assert services.record_of(dbsession, broken).state is DoiState.FAILED
    assert services.record_of(dbsession, good).state is DoiState.QUEUED


def test_no_doi_is_given_to_two_articles(dbsession, world):
    first = published_paper(dbsession, world, "First")
    services.queue_deposit(dbsession, [first], None, settings=settings_for(), enqueue=_ignore)
    # A second article whose JATS was copied from the first carries the first one's DOI.
    second = published_paper(dbsession, world, "Second", jats_doi=first.doi)
    result = services.queue_deposit(
        dbsession, [second], None, settings=settings_for(), enqueue=_ignore
    )
    assert result.deposit is None
    assert f"carries {first.doi}" in result.refused[second.id]
    # An article without a submission may not take a DOI assigned to someone's paper.
    orphan = make_article(dbsession, world, None, doi="10.5555/fde.orphan")
    sub = accept(dbsession, world, under_review(dbsession, world, "Third"))
    orphan.doi = sub.doi
    refused = services.queue_deposit(
        dbsession, [orphan], None, settings=settings_for(), enqueue=_ignore
    )
    assert f"given to submission {sub.id}" in refused.refused[orphan.id]
    record = services.record_of(dbsession, first)
    assert record.article_id == first.id
    theirs = dbsession.scalar(select(DoiRecord).where(DoiRecord.doi == sub.doi))
    assert theirs.article_id is None and theirs.state is DoiState.UNREGISTERED
    # The copier's own DOI record says why it was not sent.
    own = dbsession.scalar(select(DoiRecord).where(DoiRecord.doi == second.doi))
    assert own.state is DoiState.FAILED and f"carries {first.doi}" in own.message


def test_beat_runs_the_sweep():
    from frontiers_de.tasks import beat_schedule, celery_app, import_task_modules

    import_task_modules()
    entry = beat_schedule({"crossref.sweep_interval": "120"})["sweep-doi-deposits"]
    assert entry["schedule"] == 120.0 and entry["task"] in celery_app.tasks
    assert "frontiers_de.crossref.send_deposit" in celery_app.tasks


def test_publishing_without_a_prior_doi_assigns_one(dbsession, world):
    world.journal.doi_prefix = ""
    sub = accept(dbsession, world, under_review(dbsession, world))
    assert sub.doi is None
    world.journal.doi_prefix = "10.5555"
    article = make_article(dbsession, world, sub, jats_doi=f"10.5555/fde.{YEAR}.0001")
    result = services.queue_deposit(
        dbsession, [article], None, settings=settings_for(), enqueue=_ignore
    )
    assert result.deposit is not None
    assert article.doi == sub.doi == f"10.5555/fde.{YEAR}.0001"


def test_redeposit_needs_a_published_article(dbsession, world):
    article = published_paper(dbsession, world, state=ArticleState.IN_PRODUCTION)
    services.queue_deposit(dbsession, [article], None, settings=settings_for(), enqueue=_ignore)
    record = services.record_of(dbsession, article)
    with pytest.raises(services.DoiError, match="not published"):
        services.redeposit_record(dbsession, record, None, settings_for())
    issue = make_issue(dbsession, world)
    with pytest.raises(services.DoiError, match="no published article"):
        services.redeposit_issue(dbsession, issue, None, settings_for())


# --- staleness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (DoiState.REGISTERED, DoiState.STALE),
        (DoiState.REGISTERED_WITH_WARNINGS, DoiState.STALE),
        (DoiState.QUEUED, DoiState.STALE),
        (DoiState.UNREGISTERED, DoiState.UNREGISTERED),
        (DoiState.FAILED, DoiState.FAILED),
    ],
)
def test_metadata_change_makes_a_sent_doi_stale(dbsession, world, before, after):
    article = published_paper(dbsession, world)
    record = services.record_of(dbsession, article)
    record.article_id = article.id
    record.state = before
    services.mark_metadata_changed(dbsession, article, world.producer)
    assert record.state is after
    if after is DoiState.STALE:
        assert world.producer.email in record.events[-1].message


def test_metadata_change_of_an_article_without_doi_is_ignored(dbsession, world):
    article = make_article(dbsession, world, None)
    assert services.mark_metadata_changed(dbsession, article) is None


# --- sending, against the stand-in (committed data) -------------------------------------


@pytest.fixture
def committed(engine):
    yield get_session_factory(engine)
    _clean_tables(engine)


def queued(factory, settings, titles=("One",), **kw) -> tuple[int, list[str]]:
    """Papers accepted and published, queued in one deposit; (deposit id, DOIs)."""
    with factory() as db:
        world = make_world(db)
        articles = [published_paper(db, world, t, **kw) for t in titles]
        result = services.queue_deposit(db, articles, None, settings=settings, enqueue=_ignore)
        db.commit()
        return result.deposit.id, [a.doi for a in articles]


def records(factory) -> dict[str, DoiRecord]:
    with factory() as db:
        out = {r.doi: r for r in db.scalars(select(DoiRecord))}
        for r in out.values():
            _ = r.events  # loaded while the session is open
        return out


def deposit_row(factory, deposit_id) -> DoiDeposit:
    with factory() as db:
        return db.get(DoiDeposit, deposit_id)


def test_deposit_is_sent_polled_registered_and_read_back(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings, ("One", "Two"))
    run = services.process_deposit(committed, settings, deposit_id)
    assert run.state is DepositState.COMPLETED
    assert run.outcomes == dict.fromkeys(dois, "registered")
    deposit = deposit_row(committed, deposit_id)
    assert deposit.state is DepositState.COMPLETED and deposit.attempts == 1
    assert "<record_diagnostic" in deposit.diagnostics and deposit.next_attempt_at is None
    for doi, record in records(committed).items():
        assert record.state is DoiState.REGISTERED and record.registered_at
        assert record.metadata_checked_at and record.metadata_mismatch == ""
        assert [e.state for e in record.events] == [
            DoiState.UNREGISTERED,
            DoiState.QUEUED,
            DoiState.SUBMITTED,
            DoiState.REGISTERED,
        ], doi
    assert len(standin.uploads) == 1
    # Running the task again changes nothing and sends nothing.
    again = services.process_deposit(committed, settings, deposit_id)
    assert again.state is DepositState.COMPLETED and len(standin.uploads) == 1


def test_one_failing_record_fails_alone(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings, ("One", "Two", "Three"))
    standin.record_rules[dois[1]] = ("Failure", "Record not processed because title is empty")
    standin.record_rules[dois[2]] = ("Warning", "Added with conflict: possible duplicate title")
    services.process_deposit(committed, settings, deposit_id)
    state = records(committed)
    assert state[dois[0]].state is DoiState.REGISTERED
    assert state[dois[1]].state is DoiState.FAILED
    assert state[dois[1]].message == "Record not processed because title is empty"
    assert state[dois[2]].state is DoiState.REGISTERED_WITH_WARNINGS
    assert state[dois[2]].message == "Added with conflict: possible duplicate title"
    assert deposit_row(committed, deposit_id).state is DepositState.COMPLETED


def test_crossref_down_keeps_the_deposit_queued_with_backoff(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings)
    standin.fail_next("deposit", *["503"] * 4)
    now = utcnow()
    run = services.process_deposit(committed, settings, deposit_id, now=now)
    assert run.state is DepositState.QUEUED and run.retry_at == now + dt.timedelta(seconds=60)
    deposit = deposit_row(committed, deposit_id)
    assert "HTTP 503" in deposit.last_error and deposit.attempts == 1
    record = records(committed)[dois[0]]
    assert record.state is DoiState.QUEUED and "HTTP 503" in record.message
    # Not due yet: the sweep leaves it; when due, it is sent and registered.
    ran: list[int] = []
    assert services.sweep(committed, settings, now=now, run=ran.append).sent == []
    later = now + dt.timedelta(seconds=61)
    services.sweep(committed, settings, now=later, run=ran.append)
    assert len(ran) == 1
    services.process_deposit(committed, settings, deposit_id, now=later)
    assert records(committed)[dois[0]].state is DoiState.REGISTERED
    # The second failure would have waited twice as long.
    assert services.retry_delay(2, settings) == dt.timedelta(seconds=120)
    assert services.retry_delay(30, settings) == dt.timedelta(hours=6)


def test_unprocessed_or_unreadable_results_are_polled_again_without_a_second_upload(
    committed, standin
):
    settings = settings_for(standin, **{"crossref.max_polls": "1"})
    deposit_id, dois = queued(committed, settings)
    now = utcnow()
    run = services.process_deposit(committed, settings, deposit_id, now=now)
    assert run.state is DepositState.SUBMITTED and "not processed" in run.message
    assert records(committed)[dois[0]].state is DoiState.SUBMITTED
    standin.fail_next("result", *["malformed"] * 4)
    settings["crossref.max_polls"] = "6"
    later = now + dt.timedelta(seconds=61)
    run = services.process_deposit(committed, settings, deposit_id, now=later)
    assert run.state is DepositState.SUBMITTED and "could not be read" in run.message
    services.process_deposit(committed, settings, deposit_id, now=later + dt.timedelta(hours=1))
    assert records(committed)[dois[0]].state is DoiState.REGISTERED
    assert len(standin.uploads) == 1


def test_a_lost_upload_answer_is_not_uploaded_twice(committed, standin):
    settings = settings_for(standin, **{"crossref.retry_attempts": "1"})
    deposit_id, dois = queued(committed, settings)
    standin.fail_next("deposit", "accept-then-drop")
    now = utcnow()
    services.process_deposit(committed, settings, deposit_id, now=now)
    assert deposit_row(committed, deposit_id).state is DepositState.QUEUED
    services.process_deposit(committed, settings, deposit_id, now=now + dt.timedelta(hours=1))
    assert records(committed)[dois[0]].state is DoiState.REGISTERED
    assert len(standin.uploads) == 1


def test_refused_credentials_are_retried_later_not_lost(committed, standin):
    settings = settings_for(standin, **{"crossref.password": "wrong"})
    deposit_id, _ = queued(committed, settings)
    run = services.process_deposit(committed, settings, deposit_id)
    assert run.state is DepositState.QUEUED and "credentials" in run.message
    assert "wrong" not in deposit_row(committed, deposit_id).last_error


def test_a_refused_batch_fails_its_records(committed, standin):
    settings = settings_for(standin, **{"crossref.auth_fields": "usr"})
    standin.auth_failure = "page"
    settings["crossref.password"] = "not-it"
    deposit_id, dois = queued(committed, settings)
    run = services.process_deposit(committed, settings, deposit_id)
    # Crossref's FAILURE page about the login is an auth problem: retried, not failed.
    assert run.state is DepositState.QUEUED
    standin.fail_next("deposit", "html-error")
    settings["crossref.password"] = standin.password
    run = services.process_deposit(
        committed, settings, deposit_id, now=utcnow() + dt.timedelta(hours=1)
    )
    assert run.state is DepositState.FAILED
    record = records(committed)[dois[0]]
    assert record.state is DoiState.FAILED and "Internal processing error" in record.message


def test_a_deposit_claimed_by_another_worker_is_left_alone(committed, standin):
    settings = settings_for(standin)
    deposit_id, _ = queued(committed, settings)
    now = utcnow()
    assert sending._claim(committed, deposit_id, now)
    run = services.process_deposit(committed, settings, deposit_id, now=now)
    assert "another worker" in run.message and standin.uploads == []


def test_readback_mismatch_is_flagged(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings)
    standin.works[dois[0]] = {
        "DOI": dois[0],
        "title": ["A different title"],
        "author": [],
        "published-online": {"date-parts": [[2025, 3, 14]]},
    }
    services.process_deposit(committed, settings, deposit_id)
    record = records(committed)[dois[0]]
    assert record.state is DoiState.REGISTERED
    assert "title: ours" in record.metadata_mismatch and "A different title" in (
        record.metadata_mismatch
    )
    assert "authors" in record.metadata_mismatch
    assert record.events[-1].message.startswith("Crossref's metadata differs")


def test_readback_waits_while_the_api_does_not_show_the_doi(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings)
    standin.fail_next("works", "503")
    services.process_deposit(committed, settings, deposit_id)
    assert records(committed)[dois[0]].metadata_checked_at is None
    report = services.sweep(committed, settings, run=lambda job_id: None)
    assert report.checked == {dois[0]: "match"}
    assert records(committed)[dois[0]].metadata_checked_at is not None


def test_a_change_while_in_flight_leaves_the_doi_stale_after_registration(committed, standin):
    settings = settings_for(standin)
    deposit_id, dois = queued(committed, settings)
    with committed() as db:
        article = db.scalar(select(Article))
        services.mark_metadata_changed(db, article)
        db.commit()
    services.process_deposit(committed, settings, deposit_id)
    record = records(committed)[dois[0]]
    assert record.state is DoiState.STALE and record.registered_at is not None
    assert DoiState.REGISTERED in [e.state for e in record.events]


def test_an_older_batch_does_not_overwrite_a_newer_one(committed, standin):
    # Two batches of one DOI on their way at once no longer happen (queue_deposit refuses
    # the second); rows stored before that rule are still handled safely.
    settings = settings_for(standin)
    old_id, dois = queued(committed, settings)
    with committed() as db:
        article = db.scalar(select(Article))
        db.get(DoiDeposit, old_id).state = DepositState.COMPLETED
        new = services.queue_deposit(db, [article], None, settings=settings, enqueue=_ignore)
        new_id = new.deposit.id
        db.get(DoiDeposit, old_id).state = DepositState.QUEUED
        db.commit()
    standin.record_rules[dois[0]] = ("Failure", "Timestamp is older than the last deposit")
    services.process_deposit(committed, settings, old_id)
    record = records(committed)[dois[0]]
    assert record.state is DoiState.QUEUED and record.last_deposit_id == new_id
    assert "Older batch" in record.events[-1].message
    standin.record_rules.clear()
    services.process_deposit(committed, settings, new_id)
    assert records(committed)[dois[0]].state is DoiState.REGISTERED


def test_sweep_sends_a_queued_deposit_through_its_job(committed, standin):
    settings = settings_for(standin)
    deposit_id, _ = queued(committed, settings)
    ran: list[int] = []
    services.sweep(committed, settings, run=ran.append)
    assert ran == []  # new: its own task is on the way
    later = utcnow() + dt.timedelta(seconds=services.FRESH_SECONDS + 1)
    services.sweep(committed, settings, now=later, run=ran.append)
    with committed() as db:
        jobs = list(db.scalars(select(Job).where(Job.target_id == deposit_id)))
    assert [j.id for j in jobs] == ran  # the job queue_deposit made


def test_in_process_tasks_try_briefly_and_leave_the_rest_to_the_sweep():
    base = {
        "crossref.deposit_url": "https://test.crossref.org/servlet/deposit",
        "crossref.username": "depositor",
        "crossref.password": "s3cret-words",
    }
    eager = services.deposit_client({**base, "celery.always_eager": "true"})
    worker = services.deposit_client({**base, "celery.always_eager": "false"})
    assert (eager.max_polls, eager.retry.attempts) == (1, 2)
    assert (worker.max_polls, worker.retry.attempts) == (3, 4)
    tuned = services.deposit_client({**base, "crossref.max_polls": "9"})
    assert tuned.max_polls == 9 and "s3cret" not in repr(tuned.credentials)


def test_without_credentials_a_deposit_waits_and_says_why(tmp_path):
    """An installation without a Crossref account never calls Crossref."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from frontiers_de.crossref.models import DepositState, DoiDeposit
    from frontiers_de.crossref.services import NO_CREDENTIALS, process_deposit
    from frontiers_de.db import models  # noqa: F401
    from frontiers_de.db.meta import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine)
    with factory() as db:
        journal = JournalFactory(db=db, code="nc", title="No credentials")
        deposit = DoiDeposit(journal_id=journal.id, batch_id="nc-1", xml="<doi_batch/>")
        db.add(deposit)
        db.commit()
        deposit_id = deposit.id
    # Had the client been called, the refused loopback connection would be the error.
    settings = {"crossref.deposit_url": "http://127.0.0.1:9/servlet/deposit"}
    process_deposit(factory, settings, deposit_id)
    with factory() as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit.state is DepositState.QUEUED
        assert NO_CREDENTIALS in deposit.last_error
        assert deposit.attempts == 0
    engine.dispose()
