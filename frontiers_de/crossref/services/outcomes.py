"""What one try at a deposit leaves on the deposit and on each DOI's record: submitted,
Crossref's outcome per DOI (registered, with warnings, failed; a DOI whose metadata changed
meanwhile stays stale), a batch Crossref refused, or a retry after the backoff
(:func:`retry_delay`) when Crossref could not be reached or had no result yet."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.config import backoff
from frontiers_de.crossref.client import BatchResult
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiState
from frontiers_de.crossref.services.records import (
    IN_FLIGHT_STATES,
    REGISTERED_STATES,
    _event,
    _records_of,
    _set_state,
)
from frontiers_de.crossref.settings import CrossrefSettings
from frontiers_de.db.meta import utcnow
from frontiers_de.db.scope import session_scope

log = logging.getLogger(__name__)


# Sweep backoff (``CrossrefSettings.retry_base_seconds`` / ``retry_max_seconds``, through
# config.backoff): 1, 2, 4 … minutes after each failed try, at most 6 hours apart, never
# given up.
def retry_delay(attempts: int, settings: Mapping[str, Any]) -> dt.timedelta:
    """How long the sweep waits after the ``attempts``-th failed try (exponential)."""
    crossref = CrossrefSettings.of(settings)
    return backoff(crossref.retry_base_seconds, crossref.retry_max_seconds, attempts)


@dataclass
class DepositRun:
    """The outcome of one :func:`process_deposit`."""

    deposit_id: int
    state: DepositState | None
    message: str = ""
    retry_at: dt.datetime | None = None
    outcomes: dict[str, str] = field(default_factory=dict)


def _retry_later(
    session_factory: sessionmaker[Session],
    settings: Mapping[str, Any],
    deposit_id: int,
    dois: Sequence[str],
    message: str,
    now: dt.datetime,
    count: bool = True,
    unreadable: bytes = b"",
) -> DepositRun:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        if count:  # one run is one try, even when it uploaded and then could not poll
            deposit.attempts += 1
        deposit.last_error = message[:4000]
        if unreadable:
            # Kept for the deposit's page: what Crossref said that could not be read.
            deposit.diagnostics = unreadable.decode("utf-8", "replace")[:20000]
        deposit.next_attempt_at = now + retry_delay(deposit.attempts, settings)
        note = f"{message} — tried again after {deposit.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id and record.state in IN_FLIGHT_STATES:
                _set_state(db, record, record.state, note, deposit.id)
        log.warning("deposit %s: %s", deposit.batch_id, note)
        return DepositRun(deposit_id, deposit.state, note, deposit.next_attempt_at)


def _fail_batch(
    session_factory: sessionmaker[Session], deposit_id: int, dois: Sequence[str], message: str
) -> DepositRun:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.attempts += 1
        deposit.state = DepositState.FAILED
        deposit.last_error = message[:4000]
        deposit.next_attempt_at = None
        deposit.completed_at = utcnow()
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id:
                _set_state(db, record, DoiState.FAILED, message, deposit.id)
            else:
                _event(db, record, DoiState.FAILED, message, deposit.id)
        log.error("deposit %s refused: %s", deposit.batch_id, message)
        return DepositRun(deposit_id, DepositState.FAILED, message)


def _mark_submitted(
    session_factory: sessionmaker[Session], deposit_id: int, dois: Sequence[str]
) -> None:
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.attempts += 1
        deposit.state = DepositState.SUBMITTED
        deposit.submitted_at = utcnow()
        deposit.last_error = ""
        for record in _records_of(db, deposit, dois):
            if record.last_deposit_id == deposit.id and record.state is DoiState.QUEUED:
                _set_state(
                    db,
                    record,
                    DoiState.SUBMITTED,
                    "Sent to Crossref; waiting for its result",
                    deposit.id,
                )


# Crossref's answer settles a DOI as one of these; anything else (a DOI the answer does not
# mention) counts as failed.
_SETTLED_STATES = (DoiState.REGISTERED, DoiState.REGISTERED_WITH_WARNINGS, DoiState.FAILED)


def _record_outcomes(
    session_factory: sessionmaker[Session],
    deposit_id: int,
    result: BatchResult,
    now: dt.datetime,
) -> DepositRun:
    run = DepositRun(deposit_id, DepositState.COMPLETED)
    with session_scope(session_factory) as db:
        deposit = db.get(DoiDeposit, deposit_id)
        assert deposit is not None
        deposit.state = DepositState.COMPLETED
        deposit.completed_at = now
        deposit.next_attempt_at = None
        deposit.last_error = ""
        deposit.diagnostics = result.raw.decode("utf-8", "replace")
        records = {
            r.doi.lower(): r for r in _records_of(db, deposit, [o.doi for o in result.outcomes])
        }
        for outcome in result.outcomes:
            record = records.get(outcome.doi.lower())
            if record is None:
                log.error("deposit %s: Crossref reports unknown DOI %s", deposit_id, outcome.doi)
                continue
            state = outcome.status if outcome.status in _SETTLED_STATES else DoiState.FAILED
            message = outcome.message or (
                "Registered" if state is DoiState.REGISTERED else "No message from Crossref"
            )
            if outcome.status is DoiState.SUBMITTED:
                message = f"Crossref's result for this batch does not mention this DOI ({message})"
            run.outcomes[record.doi] = state.value
            if record.last_deposit_id != deposit.id:
                # A newer deposit of this DOI is on its way: history only.
                _event(db, record, state, f"Older batch {deposit.batch_id}: {message}", deposit.id)
                continue
            if state in REGISTERED_STATES:
                record.registered_at = now
                record.metadata_checked_at = None
                record.metadata_mismatch = ""
                if record.state is DoiState.STALE:
                    _event(db, record, state, message, deposit.id)
                    _set_state(
                        db,
                        record,
                        DoiState.STALE,
                        "Registered, but the metadata changed after this deposit was built; "
                        "deposit it again.",
                        deposit.id,
                    )
                    continue
            _set_state(db, record, state, message, deposit.id)
    return run
