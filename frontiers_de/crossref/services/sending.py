"""Sending one deposit: :func:`process_deposit` (run by the ``send_deposit`` task) takes the
deposit for this worker, uploads it unless an earlier try did, polls Crossref's result,
records each DOI's outcome (:mod:`.outcomes`) and reads the registered DOIs back
(:mod:`.readback`). Safe to run twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.crossref.client import (
    CrossrefAuthError,
    CrossrefRejected,
    CrossrefUnavailable,
    DepositClient,
    MalformedAnswer,
    NotYetProcessed,
    SubmissionReceipt,
    dois_in_deposit,
)
from frontiers_de.crossref.models import DepositState, DoiDeposit
from frontiers_de.crossref.rest import CrossrefRest
from frontiers_de.crossref.services.clients import (
    NO_CREDENTIALS,
    credentials_configured,
    deposit_client,
)
from frontiers_de.crossref.services.outcomes import (
    DepositRun,
    _fail_batch,
    _mark_submitted,
    _record_outcomes,
    _retry_later,
)
from frontiers_de.crossref.services.readback import check_metadata
from frontiers_de.crossref.services.records import REGISTERED_STATES
from frontiers_de.db.meta import utcnow
from frontiers_de.db.scope import session_scope

# While one worker sends or polls a deposit, others leave it alone this long; a worker
# that dies mid-way leaves it due again afterwards.
CLAIM_SECONDS = 600


def _claim(session_factory: sessionmaker[Session], deposit_id: int, now: dt.datetime) -> bool:
    """Take the deposit for this worker, if it is due and nobody else has it."""
    with session_scope(session_factory) as db:
        claimed = db.execute(
            update(DoiDeposit)
            .where(
                DoiDeposit.id == deposit_id,
                DoiDeposit.state.in_((DepositState.QUEUED, DepositState.SUBMITTED)),
                or_(DoiDeposit.next_attempt_at.is_(None), DoiDeposit.next_attempt_at <= now),
            )
            .values(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False)
        )
        return claimed.rowcount == 1


def process_deposit(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    deposit_id: int,
    *,
    client: DepositClient | None = None,
    rest: CrossrefRest | None = None,
    now: dt.datetime | None = None,
) -> DepositRun:
    """Send deposit ``deposit_id`` (if not sent yet), poll its result and record each DOI's
    outcome, then read the registered DOIs back. Safe to run twice: a deposit that is not
    due, already completed, or being handled by another worker is left alone."""
    now = now or utcnow()
    if not _claim(session_factory, deposit_id, now):
        with session_scope(session_factory) as db:
            deposit = db.get(DoiDeposit, deposit_id)
            state = deposit.state if deposit is not None else None
        return DepositRun(deposit_id, state, "not due, finished, or taken by another worker")
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        state, attempts, xml = deposit.state, deposit.attempts, deposit.xml.encode("utf-8")
        batch_id = deposit.batch_id
    _, dois = dois_in_deposit(xml)
    receipt = SubmissionReceipt(f"{batch_id}.xml", batch_id, dois)
    if client is None and not credentials_configured(settings):
        # An installation without a Crossref account (the embedded default) keeps its
        # deposits queued, with the reason on the page, instead of calling Crossref.
        return _retry_later(
            session_factory, settings, deposit_id, dois, NO_CREDENTIALS, now, count=False
        )
    uploaded_now = False
    try:
        client = client or deposit_client(settings)
        if state is DepositState.QUEUED:
            # A try that died after uploading must not upload a second copy.
            known = attempts > 0 and client.fetch_result(receipt).state != "unknown_submission"
            if not known:
                client.upload(xml, receipt.filename)
            _mark_submitted(session_factory, deposit_id, dois)
            uploaded_now = True
        result = client.poll(receipt)
    except CrossrefRejected as exc:
        return _fail_batch(session_factory, deposit_id, dois, f"Crossref refused the batch: {exc}")
    except (CrossrefUnavailable, CrossrefAuthError, MalformedAnswer, NotYetProcessed) as exc:
        # UploadUnconfirmed (a lost answer, and a status check that failed too) lands here:
        # the deposit stays queued with attempts > 0, so the next try asks Crossref first.
        return _retry_later(
            session_factory,
            settings,
            deposit_id,
            dois,
            str(exc),
            now,
            count=not uploaded_now,
            unreadable=exc.raw if isinstance(exc, MalformedAnswer) else b"",
        )
    run = _record_outcomes(session_factory, deposit_id, result, utcnow())
    registered = [doi for doi, s in run.outcomes.items() if s in REGISTERED_STATES]
    if registered:
        check_metadata(session_factory, settings, registered, rest=rest)
    return run
