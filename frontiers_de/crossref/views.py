"""The production editor's DOI pages: every DOI with its status and history, the deposit
batches with their XML and Crossref's answers, and re-depositing (POST with CSRF token)."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.articles.models import Article, Issue
from frontiers_de.crossref import services
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.i18n import _
from frontiers_de.jobs.models import JobState
from frontiers_de.journals.models import Journal
from frontiers_de.responses import file_response
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash

# Written out so that the extractor finds them.
STATE_LABELS = {
    DoiState.UNREGISTERED: _("Not registered"),
    DoiState.QUEUED: _("Queued"),
    DoiState.SUBMITTED: _("Sent, waiting for Crossref"),
    DoiState.REGISTERED: _("Registered"),
    DoiState.REGISTERED_WITH_WARNINGS: _("Registered with warnings"),
    DoiState.FAILED: _("Failed"),
    DoiState.STALE: _("Registered, metadata changed since"),
}
DEPOSIT_LABELS = {
    DepositState.QUEUED: _("Queued"),
    DepositState.SUBMITTED: _("Sent, waiting for Crossref"),
    DepositState.COMPLETED: _("Processed"),
    DepositState.FAILED: _("Refused"),
}
# The newest DOIs shown on one page (filter by status to see others).
LIST_LIMIT = 500

JOB_LABELS = {
    JobState.QUEUED: _("waiting"),
    JobState.RUNNING: _("running"),
    JobState.FAILED: _("did not get through"),
    JobState.DONE: _("done"),
}


def _journal(request: Request) -> Journal:
    """The journal (the pages' contexts answered 404 without one: resources.py)."""
    journal: Journal = request.journal
    return journal


def _labels(request: Request) -> dict[str, Any]:
    translate = request.localizer.translate
    return {
        "state_labels": {s.value: translate(label) for s, label in STATE_LABELS.items()},
        "deposit_labels": {s.value: translate(label) for s, label in DEPOSIT_LABELS.items()},
        "job_labels": {s.value: translate(label) for s, label in JOB_LABELS.items()},
    }


def _record(request: Request) -> DoiRecord:
    """The route's DOI record of the journal (resources.doi_record_factory; else 404)."""
    record: DoiRecord = request.context.obj
    return record


def _deposit(request: Request) -> DoiDeposit:
    """The route's deposit of the journal (resources.deposit_factory; else 404)."""
    deposit: DoiDeposit = request.context.obj
    return deposit


@view_config(
    route_name="crossref.dois",
    request_method="GET",
    renderer="crossref/dois.html",
    permission=Permission.PRODUCE,
)
def dois(request: Request) -> dict[str, Any]:
    journal = _journal(request)
    raw = request.GET.get("status", "")
    state = DoiState(raw) if raw in {s.value for s in DoiState} else None
    records = services.list_records(request.db, journal, state, limit=LIST_LIMIT)
    return {
        "records": records,
        "limited": len(records) == LIST_LIMIT,
        "limit": LIST_LIMIT,
        "status": state.value if state else "",
        "status_error": bool(raw) and state is None,
        "counts": {s.value: n for s, n in services.state_counts(request.db, journal).items()},
        "states": [s.value for s in DoiState],
        "issues": services.issues_with_dois(request.db, journal),
        **_labels(request),
    }


@view_config(
    route_name="crossref.doi",
    request_method="GET",
    renderer="crossref/doi.html",
    permission=Permission.PRODUCE,
)
def doi(request: Request) -> dict[str, Any]:
    record = _record(request)
    article = request.db.get(Article, record.article_id) if record.article_id else None
    return {
        "record": record,
        "article": article,
        "submission": services.submission_of(request.db, record),
        "deposits": services.deposits_of(request.db, record),
        "can_deposit": services.depositable(article),
        **_labels(request),
    }


def _report(request: Request, result: services.QueueResult) -> None:
    translate = request.localizer.translate
    if result.deposit is not None:
        flash(
            request,
            translate(
                _(
                    "Deposit ${batch} is queued; it is sent to Crossref in the background.",
                    mapping={"batch": result.deposit.batch_id},
                )
            ),
            "success",
        )
    for reason in result.refused.values():
        flash(
            request, translate(_("Not deposited: ${reason}", mapping={"reason": reason})), "error"
        )


def _redeposit(request: Request, redeposit: Any, target: Any) -> None:
    """Run one re-deposit service and tell the editor what came of it."""
    try:
        result = redeposit(request.db, target, request.user, request.registry.settings)
    except services.DoiError as exc:
        flash(
            request,
            request.localizer.translate(
                _("Not deposited: ${reason}", mapping={"reason": str(exc)})
            ),
            "error",
        )
    else:
        _report(request, result)


@view_config(route_name="crossref.redeposit", request_method="POST", permission=Permission.PRODUCE)
def redeposit(request: Request) -> Response:
    record = _record(request)
    _redeposit(request, services.redeposit_record, record)
    return HTTPFound(request.route_path("crossref.doi", record_id=record.id))


@view_config(
    route_name="crossref.redeposit_issue", request_method="POST", permission=Permission.PRODUCE
)
def redeposit_issue(request: Request) -> Response:
    issue: Issue = request.context.obj  # resources.issue_factory: the journal's, else 404
    _redeposit(request, services.redeposit_issue, issue)
    return HTTPFound(request.route_path("crossref.dois"))


@view_config(
    route_name="crossref.deposits",
    request_method="GET",
    renderer="crossref/deposits.html",
    permission=Permission.PRODUCE,
)
def deposits(request: Request) -> dict[str, Any]:
    journal = _journal(request)
    rows = services.list_deposits(request.db, journal)
    return {
        "deposits": [(d, services.deposit_job(request.db, d)) for d in rows],
        **_labels(request),
    }


@view_config(
    route_name="crossref.deposit",
    request_method="GET",
    renderer="crossref/deposit.html",
    permission=Permission.PRODUCE,
)
def deposit(request: Request) -> dict[str, Any]:
    batch = _deposit(request)
    return {
        "deposit": batch,
        "job": services.deposit_job(request.db, batch),
        "records": services.records_in(request.db, batch),
        **_labels(request),
    }


@view_config(route_name="crossref.deposit_xml", request_method="GET", permission=Permission.PRODUCE)
def deposit_xml(request: Request) -> Response:
    batch = _deposit(request)
    return file_response(batch.xml, "application/xml", f"{batch.batch_id}.xml")
