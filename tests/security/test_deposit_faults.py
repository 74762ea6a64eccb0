"""Crossref faults that sent a batch twice or misreported it, replayed through the app and
the local Crossref stand-in (tests/crossref/standin.py).

Found by a bounded fault run:
- after an upload whose answer was lost, a status check that failed too counted as
  "Crossref doesn't have it", and the batch was uploaded a second time;
- "Deposit again" while a batch was still queued sent both batches;
- an unreadable submission result was reported as "not processed".

A failed check is "unknown": nothing is sent again, the next try asks first. One batch at a
time per DOI. An unreadable result is said as such, kept on the deposit, and asked again.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.crossref.tasks import sweep_deposits
from frontiers_de.tasks import drain_tasks
from tests.crossref.standin import CrossrefStandIn
from tests.crossref.world import WorldIds, crossref_settings, make_world
from tests.factories import app_session
from tests.functional.test_crossref import accept_paper, publish_paper
from tests.security.live_clients import TIMEOUT, at_once, csrf_of, signed_in
from tests.web import client_for

# Commits for real: a failed deposit is recorded in a transaction of its own while the
# job's transaction rolls back, which one connection's savepoints cannot reproduce.
pytestmark = pytest.mark.commits

RETRIES = 4  # crossref.retry_attempts in crossref_settings


@pytest.fixture
def standin() -> Iterator[CrossrefStandIn]:
    with CrossrefStandIn() as service:
        yield service


@pytest.fixture
def app_settings(app_settings, standin):
    # A deposit that could not go through is due again at once, so the sweep can be shown.
    return {**app_settings, **crossref_settings(standin), "crossref.retry_base_seconds": "0"}


@pytest.fixture
def ids(wsgi_app) -> WorldIds:
    with app_session(wsgi_app) as db:
        return WorldIds.of(make_world(db))


def _record(wsgi_app, doi: str) -> DoiRecord:
    with app_session(wsgi_app) as db:
        return db.scalar(select(DoiRecord).where(DoiRecord.doi == doi))


def _deposits(wsgi_app) -> list[DoiDeposit]:
    with app_session(wsgi_app) as db:
        return list(db.scalars(select(DoiDeposit).order_by(DoiDeposit.id)))


def _producer_email(wsgi_app, ids) -> str:
    with app_session(wsgi_app) as db:
        return db.get(User, ids.producer).email


def test_a_lost_answer_and_a_failed_check_do_not_upload_twice(wsgi_app, app_settings, ids, standin):
    doi = accept_paper(app_settings, ids, "Lost answer")
    # Crossref takes the file but the answer is lost; then its status page fails as well.
    standin.fail_next("deposit", "accept-then-drop")
    standin.fail_next("result", *["503"] * RETRIES)

    publish_paper(app_settings, ids, doi)

    assert len(standin.uploads) == 1, "a failed status check was taken for 'not there'"
    (deposit,) = _deposits(wsgi_app)
    assert deposit.state is DepositState.QUEUED and deposit.attempts == 1
    assert "not sent again" in deposit.last_error
    assert "not sent again" in _record(wsgi_app, doi).message

    # The next try asks Crossref first, finds the file, and only polls.
    sweep_deposits.apply()

    assert len(standin.uploads) == 1
    assert _record(wsgi_app, doi).state is DoiState.REGISTERED
    (deposit,) = _deposits(wsgi_app)
    assert deposit.state is DepositState.COMPLETED


def test_a_check_that_says_not_there_does_send_again(wsgi_app, app_settings, ids, standin):
    # The other side of the same rule: when Crossref answers that it does not know the file
    # (the upload never reached it), sending again is right.
    doi = accept_paper(app_settings, ids, "Dropped before Crossref")
    standin.fail_next("deposit", "drop")
    publish_paper(app_settings, ids, doi)
    assert len(standin.uploads) == 1
    assert _record(wsgi_app, doi).state is DoiState.REGISTERED


def test_deposit_again_while_a_batch_is_queued_sends_one(wsgi_app, app_settings, ids, standin):

    doi = accept_paper(app_settings, ids, "Patience")
    standin.fail_next("deposit", *["503"] * RETRIES)  # Crossref down: the batch stays queued
    publish_paper(app_settings, ids, doi)
    rec = _record(wsgi_app, doi)
    assert rec.state is DoiState.QUEUED

    producer = client_for(wsgi_app, _producer_email(wsgi_app, ids))
    page = producer.get(f"/production/dois/{rec.id}")
    res = producer.post(
        f"/production/dois/{rec.id}/redeposit", {"csrf_token": csrf_of(page.text)}
    ).follow()
    assert "is still on its way to Crossref" in res.text
    assert len(_deposits(wsgi_app)) == 1
    assert _record(wsgi_app, doi).state is DoiState.QUEUED  # not marked failed

    sweep_deposits.apply()

    assert len(standin.uploads) == 1
    assert _record(wsgi_app, doi).state is DoiState.REGISTERED


def test_two_deposit_again_clicks_at_once_queue_one_batch(
    wsgi_app, app_settings, ids, standin, live_server
):
    doi = accept_paper(app_settings, ids, "Double click")
    publish_paper(app_settings, ids, doi)
    assert _record(wsgi_app, doi).state is DoiState.REGISTERED
    rec_id = _record(wsgi_app, doi).id
    clients = []
    for _ in range(2):
        client = signed_in(live_server, _producer_email(wsgi_app, ids))
        page = client.get(f"{live_server}/production/dois/{rec_id}", timeout=TIMEOUT)
        clients.append((client, csrf_of(page.text)))

    def again(client, token):
        def call():
            res = client.post(
                f"{live_server}/production/dois/{rec_id}/redeposit",
                data={"csrf_token": token},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            assert res.status_code == 302, res.text[:500]
            return client.get(urljoin(live_server, res.headers["Location"]), timeout=TIMEOUT)

        return call

    pages = at_once([again(*c) for c in clients])
    for page in pages:
        assert not isinstance(page, Exception), page
    texts = [p.text for p in pages]
    assert sum("is queued; it is sent to Crossref in the background" in t for t in texts) == 1
    assert sum("is still on its way to Crossref" in t for t in texts) == 1
    assert drain_tasks(TIMEOUT)
    assert len(_deposits(wsgi_app)) == 2  # the first publication's, and one more
    assert len(standin.uploads) == 2


def test_an_unreadable_result_is_reported_as_such_and_kept(wsgi_app, app_settings, ids, standin):
    doi = accept_paper(app_settings, ids, "Unreadable")
    # One look at the result per run (as in the embedded default), and that look unreadable.
    standin.polls_before_done = 0
    standin.fail_next("result", "malformed")
    app_settings["crossref.max_polls"] = "1"

    publish_paper(app_settings, ids, doi)

    (deposit,) = _deposits(wsgi_app)
    rec = _record(wsgi_app, doi)
    assert deposit.state is DepositState.SUBMITTED and rec.state is DoiState.SUBMITTED
    assert "unreadable result" in deposit.last_error and "unreadable result" in rec.message
    assert "not processed" not in deposit.last_error
    assert "<oops" in deposit.diagnostics  # what Crossref said, kept for the batch's page

    sweep_deposits.apply()

    assert _record(wsgi_app, doi).state is DoiState.REGISTERED
    assert len(standin.uploads) == 1
