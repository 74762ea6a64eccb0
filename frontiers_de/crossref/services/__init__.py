"""DOI registration in the app: the rules, callable without HTTP.

One module per seam:

- ``records``: a DOI's record — its history, finding it, and
  :func:`mark_metadata_changed` (an article's JATS changed: a registered DOI becomes
  ``stale`` until it is deposited again).
- ``assignment``: the DOI given on acceptance (:func:`on_accept`, :func:`assign_doi`).
- ``queueing``: :func:`queue_deposit` builds and validates the deposit XML and stores it
  (:class:`DoiDeposit`) with the job that sends it after the commit; re-deposits from the
  pages.
- ``sending``: :func:`process_deposit` (run by the ``send_deposit`` task) sends a deposit,
  polls its result and records each DOI's outcome (``outcomes``), then reads the registered
  DOIs back (``readback``: :func:`check_metadata`), with the clients from ``clients``.
- ``sweep``: the periodic retry of what Crossref could not take yet.
- ``pages``: what the DOI and deposit pages list.

Nothing waits for Crossref and nothing is lost while it is down: the deposit row holds the
XML. These services name their tasks (``SEND_DEPOSIT``) instead of importing
``crossref.tasks``, which imports them.

This package's public face: the names below, which the Crossref pages and tasks, the other
domains, the demo and the tests use as ``frontiers_de.crossref.services.<name>``.
"""

from __future__ import annotations

from frontiers_de.crossref.services.assignment import assign_doi, next_doi_number, on_accept
from frontiers_de.crossref.services.clients import (
    NO_CREDENTIALS,
    credentials_configured,
    deposit_client,
    rest_client,
)
from frontiers_de.crossref.services.outcomes import DepositRun, retry_delay
from frontiers_de.crossref.services.pages import (
    deposits_of,
    issues_with_dois,
    list_deposits,
    list_records,
    records_in,
    state_counts,
    submission_of,
)
from frontiers_de.crossref.services.queueing import (
    JOB_KIND,
    PUBLIC_ARTICLE_STATES,
    SEND_DEPOSIT,
    QueueResult,
    depositable,
    queue_deposit,
    redeposit_issue,
    redeposit_record,
)
from frontiers_de.crossref.services.readback import check_metadata
from frontiers_de.crossref.services.records import (
    IN_FLIGHT_STATES,
    REGISTERED_STATES,
    DoiError,
    mark_metadata_changed,
    record_of,
)
from frontiers_de.crossref.services.sending import CLAIM_SECONDS, process_deposit
from frontiers_de.crossref.services.sweep import FRESH_SECONDS, SweepReport, deposit_job, sweep

__all__ = [
    "CLAIM_SECONDS",
    "FRESH_SECONDS",
    "IN_FLIGHT_STATES",
    "JOB_KIND",
    "NO_CREDENTIALS",
    "PUBLIC_ARTICLE_STATES",
    "REGISTERED_STATES",
    "SEND_DEPOSIT",
    "DepositRun",
    "DoiError",
    "QueueResult",
    "SweepReport",
    "assign_doi",
    "check_metadata",
    "credentials_configured",
    "deposit_client",
    "deposit_job",
    "depositable",
    "deposits_of",
    "issues_with_dois",
    "list_deposits",
    "list_records",
    "mark_metadata_changed",
    "next_doi_number",
    "on_accept",
    "process_deposit",
    "queue_deposit",
    "record_of",
    "records_in",
    "redeposit_issue",
    "redeposit_record",
    "rest_client",
    "retry_delay",
    "state_counts",
    "submission_of",
    "sweep",
]
