"""The author's submission pages: my submissions, start, the draft's steps (details,
authors, funding, files), review and submit, the read-only view, withdraw. Thin: load the
submission the user may see (else 404), call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.accounts.forms import country_names
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines import engine as deadlines
from frontiers_de.deadlines.engine import Deadline
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import services as editorial_services
from frontiers_de.editorial import workflow
from frontiers_de.forms import Field, FormResult, read_form, translate_errors
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.journals.models import Section
from frontiers_de.responses import file_response, stored_bytes, wants_json
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions import services
from frontiers_de.submissions.models import (
    Contributor,
    Funding,
    ManuscriptFile,
    ReviewerSuggestion,
    ReviewMode,
)
from frontiers_de.submissions.models import Submission as SubmissionRow
from frontiers_de.templating import flash

ACCOUNT = Permission.ACCOUNT
REVISION_KINDS = (DeadlineKind.MINOR_REVISION, DeadlineKind.MAJOR_REVISION)
SUBMIT = Permission.SUBMIT
STEPS = ("details", "authors", "funding", "reviewers", "files", "review")
# While a revision is requested the authors correct the metadata on the same forms; the
# files come with the revision (the form on the submission's page).
REVISION_STEPS = ("details", "authors", "funding", "review")


def _labels(request: Request, labels: dict[Any, Any]) -> dict[Any, str]:
    return {key: _t(request, label) for key, label in labels.items()}


def _submission(request: Request) -> SubmissionRow:
    """The route's submission, found by its factory (resources.SubmissionContext): only a
    user its ACL lets through gets here; anyone else had 404."""
    return request.context.submission


def _editable_submission(request: Request) -> SubmissionRow:
    """The submission for a change: its submitter's draft (the ACL lets only its submitter
    change it). Once submitted, the author is sent to the read-only view with a word why."""
    submission = _submission(request)
    if not services.editable(submission, request.user):
        raise _to_view_with(
            request,
            submission,
            _("This submission has been submitted and can no longer be changed here."),
        )
    return submission


def _metadata_submission(request: Request) -> SubmissionRow:
    """The submission for a metadata correction: its submitter's draft, or their paper
    while a revision is requested. Otherwise, to the read-only view with a word why."""
    submission = _submission(request)
    if not services.metadata_editable(submission, request.user):
        raise _to_view_with(
            request,
            submission,
            _("This submission has been submitted and can no longer be changed here."),
        )
    return submission


def _to_view_with(request: Request, submission: SubmissionRow, message: Any) -> HTTPFound:
    flash(request, _t(request, message), "warning")
    return HTTPFound(request.route_path("submissions.view", submission_id=submission.id))


def _step(request: Request, submission: SubmissionRow, step: str) -> HTTPFound:
    name = "submissions.view" if step == "review" else f"submissions.{step}"
    return HTTPFound(request.route_path(name, submission_id=submission.id))


def _common(request: Request, submission: SubmissionRow, step: str) -> dict[str, Any]:
    section = request.db.get(Section, submission.section_id) if submission.section_id else None
    revising = services.revising(submission)
    return {
        "submission": submission,
        "section": section,
        "step": step,
        "steps": REVISION_STEPS if revising else STEPS,
        "editable": services.editable(submission, request.user),
        "revising": revising,
    }


def _form_page(form: FormResult | None, request: Request) -> dict[str, Any]:
    if form is None:
        return {"errors": {}}
    return {"values": dict(form.sent), "errors": translate_errors(request, form.errors)}


# --- my submissions and starting ------------------------------------------------------------


@view_config(
    route_name="submissions.mine",
    request_method="GET",
    renderer="submissions/mine.html",
    permission=ACCOUNT,
)
def mine(request: Request) -> dict[str, Any]:
    return {
        "submissions": services.my_submissions(request.db, request.user, request.journal.id),
        # The revisions asked of the authors, with their due dates (the journal's rules).
        "revision_due": _revisions_due(request),
        "now": utcnow(),
    }


def _revisions_due(request: Request) -> dict[int, Deadline]:
    """The journal's revision deadlines by submission id (the page shows the user's own)."""
    found = deadlines.open_deadlines(
        request.db, journal_id=request.journal.id, kinds=REVISION_KINDS
    )
    return {d.submission_id: d for d in found}


def _sections(request: Request) -> list[Section]:
    return services.active_sections(request.db, request.journal.id)


@view_config(route_name="submissions.new", renderer="submissions/new.html", permission=SUBMIT)
def new(request: Request) -> Any:
    page = {"sections": _sections(request), "errors": {}, "values": {}}
    if request.method != "POST":
        return page
    try:
        submission = services.start_submission(
            request.db, request.journal, request.user, request.POST.get("section_id")
        )
    except services.SubmissionError as exc:
        page["errors"] = {"section_id": _t(request, exc.message)}
        request.response.status_int = 400
        return page
    flash(request, _t(request, _("Your draft is started; it is saved as you go.")), "success")
    return _step(request, submission, "details")


# --- details --------------------------------------------------------------------------------


@view_config(
    route_name="submissions.details", renderer="submissions/details.html", permission=SUBMIT
)
def details(request: Request) -> Any:
    submission = _metadata_submission(request)
    page = _common(request, submission, "details") | {"sections": _sections(request)}
    if request.method != "POST":
        return page | {"values": services.details_values(submission), "errors": {}}
    if wants_json(request):
        return _autosave(request, submission)
    try:
        services.save_details(request.db, submission, request.POST, request.user)
    except services.InvalidInput as exc:
        request.response.status_int = 400
        sent = _form_page(exc.form, request)
        sent["values"]["version"] = request.POST.get("version", "")
        return page | sent
    except services.StaleDraft as exc:
        # The author's text is shown again with the current version: saving again keeps it.
        values = {k: v for k, v in request.POST.items() if isinstance(v, str)}
        values["version"] = str(exc.current_version)
        request.response.status_int = 409
        return page | {"values": values, "errors": {"__all__": _t(request, exc.message)}}
    flash(request, _t(request, _("Saved.")), "success")
    target = request.POST.get("next")
    return _step(request, submission, target if target in STEPS else "details")


def _autosave(request: Request, submission: SubmissionRow) -> Response:
    """The details form saved in the background (static/js/autosave.js): JSON in reply."""
    try:
        services.save_details(request.db, submission, request.POST, request.user)
    except services.InvalidInput:
        message = _("Not saved: a field is not accepted. Press Save draft to see which.")
        return _json(request, 400, message)
    except services.StaleDraft as exc:
        return _json(request, 409, exc.message)
    stamp = submission.updated_at.strftime("%H:%M:%S")
    message = _("Draft saved at ${time} UTC.", mapping={"time": stamp})
    return _json(request, 200, message, version=submission.version)


def _json(request: Request, status: int, message: Any, **extra: Any) -> Response:
    response = Response(json_body={"message": _t(request, message), **extra}, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- authors --------------------------------------------------------------------------------


def _contributor(request: Request, submission: SubmissionRow) -> Contributor:
    person: Contributor = request.context.part(Contributor, "contributor_id")
    return person


def _author_page(request: Request, submission: SubmissionRow, **extra: Any) -> dict[str, Any]:
    return _common(request, submission, "authors") | {
        "credit_roles": services.credit_roles(),
        "credit_labels": _labels(request, services.CREDIT_LABELS),
        "native_langs": services.NATIVE_NAME_LANGUAGES,
        "max_affiliations": services.MAX_AFFILIATIONS,
        "countries": country_names(request.locale_name),
        **extra,
    }


def _save_author(request: Request, submission: SubmissionRow, person: Contributor | None):
    try:
        services.save_contributor(
            request.db,
            submission,
            request.POST,
            request.POST.getall("credit_roles"),
            request.user,
            person,
        )
    except services.InvalidInput as exc:
        request.response.status_int = 400
        return _author_page(request, submission, person=person) | _form_page(exc.form, request)
    except services.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _step(request, submission, "authors")
    flash(request, _t(request, _("The author is saved.")), "success")
    return _step(request, submission, "authors")


@view_config(
    route_name="submissions.authors", renderer="submissions/authors.html", permission=SUBMIT
)
def authors(request: Request) -> Any:
    submission = _metadata_submission(request)
    if request.method == "POST":
        return _save_author(request, submission, None)
    return _author_page(
        request, submission, person=None, values=services.contributor_values(None), errors={}
    )


@view_config(
    route_name="submissions.author", renderer="submissions/authors.html", permission=SUBMIT
)
def author(request: Request) -> Any:
    submission = _metadata_submission(request)
    person = _contributor(request, submission)
    if request.method == "POST":
        return _save_author(request, submission, person)
    return _author_page(
        request, submission, person=person, values=services.contributor_values(person), errors={}
    )


@view_config(route_name="submissions.author_remove", request_method="POST", permission=SUBMIT)
def author_remove(request: Request) -> Response:
    submission = _metadata_submission(request)
    person = _contributor(request, submission)
    services.remove_contributor(request.db, submission, person, request.user)
    flash(request, _t(request, _("The author is removed.")), "success")
    return _step(request, submission, "authors")


@view_config(route_name="submissions.author_move", request_method="POST", permission=SUBMIT)
def author_move(request: Request) -> Response:
    submission = _metadata_submission(request)
    person = _contributor(request, submission)
    services.move_contributor(
        request.db, submission, person, request.POST.get("direction", ""), request.user
    )
    return _step(request, submission, "authors")


# --- funding --------------------------------------------------------------------------------


@view_config(
    route_name="submissions.funding", renderer="submissions/funding.html", permission=SUBMIT
)
def funding(request: Request) -> Any:
    submission = _metadata_submission(request)
    page = _common(request, submission, "funding")
    if request.method != "POST":
        return page | {"values": {}, "errors": {}}
    try:
        services.add_funding(request.db, submission, request.POST, request.user)
    except services.InvalidInput as exc:
        request.response.status_int = 400
        return page | _form_page(exc.form, request)
    except services.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _step(request, submission, "funding")
    flash(request, _t(request, _("The funder is added.")), "success")
    return _step(request, submission, "funding")


@view_config(route_name="submissions.funding_remove", request_method="POST", permission=SUBMIT)
def funding_remove(request: Request) -> Response:
    submission = _metadata_submission(request)
    grant = request.context.part(Funding, "funding_id")
    services.remove_funding(request.db, submission, grant, request.user)
    flash(request, _t(request, _("The funder is removed.")), "success")
    return _step(request, submission, "funding")


# --- suggested and opposed reviewers ---------------------------------------------------------


def _reviewers_page(request: Request, submission: SubmissionRow) -> dict[str, Any]:
    return _common(request, submission, "reviewers") | {
        "max_per_kind": services.MAX_PER_KIND,
        "values": {"kind": "suggested"},
        "errors": {},
    }


@view_config(
    route_name="submissions.reviewers", renderer="submissions/reviewers.html", permission=SUBMIT
)
def reviewers(request: Request) -> Any:
    """The reviewers the authors suggest or oppose (shown to the editors, never to
    reviewers); while the paper is a draft."""
    submission = _editable_submission(request)
    page = _reviewers_page(request, submission)
    if request.method != "POST":
        return page
    try:
        services.add_suggestion(request.db, submission, request.POST, request.user)
    except services.InvalidInput as exc:
        request.response.status_int = 400
        return page | _form_page(exc.form, request)
    except services.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _step(request, submission, "reviewers")
    flash(request, _t(request, _("The reviewer is added to your list.")), "success")
    return _step(request, submission, "reviewers")


@view_config(route_name="submissions.reviewer_remove", request_method="POST", permission=SUBMIT)
def reviewer_remove(request: Request) -> Response:
    submission = _editable_submission(request)
    row = request.context.part(ReviewerSuggestion, "suggestion_id")
    services.remove_suggestion(request.db, submission, row, request.user)
    flash(request, _t(request, _("The reviewer is removed from your list.")), "success")
    return _step(request, submission, "reviewers")


# --- files ----------------------------------------------------------------------------------


def _files_page(request: Request, submission: SubmissionRow) -> dict[str, Any]:
    limit = services.max_upload_bytes(request.registry.settings)
    return _common(request, submission, "files") | {
        "files": services.current_files(submission),
        "kinds": services.UPLOAD_KINDS,
        "kind_labels": _labels(request, services.KIND_LABELS),
        "max_mib": max(1, limit // (1024 * 1024)),
        "errors": {},
        "figure_files": services.figure_files(submission),
        "figure_descriptions": services.figure_descriptions(request.db, submission),
        "description_form": None,
    }


@view_config(route_name="submissions.files", renderer="submissions/files.html", permission=SUBMIT)
def files(request: Request) -> Any:
    submission = _editable_submission(request)
    if request.method != "POST":
        return _files_page(request, submission)
    upload = request.POST.get("file")
    kind = request.POST.get("kind", "")
    if upload is None or not hasattr(upload, "file"):
        page = _files_page(request, submission)
        page["errors"] = {"file": _t(request, _("Choose a file to upload."))}
        request.response.status_int = 400
        return page
    limit = services.max_upload_bytes(request.registry.settings)
    data = upload.file.read(limit + 1)  # one byte over the limit is enough to refuse
    try:
        row = services.add_file(
            request.db,
            request.storage,
            submission,
            kind,
            upload.filename or "",
            data,
            request.user,
            limit,
        )
    except services.SubmissionError as exc:
        page = _files_page(request, submission)
        page["errors"] = {"file": _t(request, exc.message)}
        page["chosen_kind"] = kind
        request.response.status_int = 400
        return page
    flash(
        request,
        _t(request, _("${name} is uploaded.", mapping={"name": row.filename})),
        "success",
    )
    return _step(request, submission, "files")


@view_config(route_name="submissions.file_delete", request_method="POST", permission=SUBMIT)
def file_delete(request: Request) -> Response:
    """Delete a draft's upload made by mistake; a submitted paper's files stay (409)."""
    submission = _submission(request)
    row = request.context.part(ManuscriptFile, "file_id")  # of the route's submission
    if row.kind not in services.UPLOAD_KINDS:
        raise HTTPNotFound()
    try:
        services.delete_file(request.db, submission, row, request.user)
    except services.FileNotDeletable as exc:
        response = render_to_response(
            "submissions/file_not_deletable.html",
            {"submission": submission, "row": row, "message": _t(request, exc.message)},
            request=request,
        )
        response.status_int = 409
        return response
    flash(request, _t(request, _("${name} is deleted.", mapping={"name": row.filename})), "success")
    return _step(request, submission, "files")


_ALT_TEXT = Field("alt_text", max_length=2_000, multiline=True)
_LONG_DESC = Field("long_desc", max_length=40_000, multiline=True)


@view_config(route_name="submissions.figure_description", request_method="POST", permission=SUBMIT)
def figure_description(request: Request) -> Any:
    """The author's alt text and long description of one of their figure files; refused
    text is shown again on the files page with the error at its field."""
    submission = _editable_submission(request)
    row = request.context.part(ManuscriptFile, "file_id")  # of the route's submission
    if row not in services.figure_files(submission):
        raise HTTPNotFound()
    form = read_form(request.POST, (_ALT_TEXT, _LONG_DESC))
    try:
        if not form.ok:
            raise services.InvalidInput(form)
        services.describe_figure_file(
            request.db,
            submission,
            row,
            form.values["alt_text"],
            form.values["long_desc"],
            request.user,
        )
    except services.InvalidInput as exc:
        page = _files_page(request, submission)
        page["description_form"] = {"file_id": row.id} | _form_page(exc.form, request)
        response = render_to_response("submissions/files.html", page, request=request)
        response.status_int = 400
        return response
    flash(
        request,
        _t(request, _("The description of ${name} is saved.", mapping={"name": row.filename})),
        "success",
    )
    url = request.route_path("submissions.files", submission_id=submission.id)
    return HTTPFound(f"{url}#describe-file-{row.id}")


@view_config(route_name="submissions.file", request_method="GET", permission=ACCOUNT)
def download(request: Request) -> Response:
    row = request.context.part(ManuscriptFile, "file_id")  # of the route's submission
    if row.kind not in services.AUTHOR_FILE_KINDS:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, row.sha256)
    return file_response(body, row.media_type, row.filename, private=True)


# --- review, submit, the read-only view, withdraw --------------------------------------------


@view_config(
    route_name="submissions.view",
    request_method="GET",
    renderer="submissions/view.html",
    permission=ACCOUNT,
)
def view(request: Request) -> Any:
    submission = _submission(request)
    if workflow.may_handle(submission, request.user):
        # An editor handling the paper (never one of its authors) works on it from the
        # workspace, not from the author's page with its Withdraw form.
        return HTTPFound(request.route_path("editorial.workspace", submission_id=submission.id))
    editable = services.editable(submission, request.user)
    mode = services.review_mode_of(request.db, submission)
    # The author sees the anonymity check of what reviewers will be given while the paper
    # is reviewed double-anonymously (before submitting, and after each revision).
    own = submission.submitter_id == request.user.id
    return _common(request, submission, "review") | {
        "review_mode": mode,
        "review_mode_labels": _labels(request, services.REVIEW_MODE_LABELS),
        "checks": services.anonymity_check(request.storage, submission)
        if own and mode == ReviewMode.DOUBLE_ANONYMOUS
        else None,
        "problems": services.submission_problems(request.db, submission) if editable else [],
        "files": services.current_files(submission),
        "kind_labels": _labels(request, services.KIND_LABELS),
        "credit_labels": _labels(request, services.CREDIT_LABELS),
        "zh": (submission.translations or {}).get(services.TRANSLATION_LANGUAGE) or {},
        "may_withdraw": workflow.may(submission, "withdraw", request.user),
        "may_revise": workflow.may(submission, "resubmit", request.user),
        "decisions": editorial_services.decisions(request.db, submission),
        "decision_labels": _labels(request, editorial_services.DECISION_LABELS),
        "responses": services.responses(submission),
        "history": services.history(request.db, submission),
        "word_count": services.word_count(submission.abstract),
        "field_labels": _labels(request, services.CORRECTABLE_FIELDS),
        **_revision_banner(request, submission),
    }


def _revision_banner(request: Request, submission: SubmissionRow) -> dict[str, Any]:
    """The "action needed" banner's facts: the decision asking for the revision (kind,
    date, letter) and what the authors have corrected so far; for the submitter only."""
    if not (services.revising(submission) and services.is_submitter(submission, request.user)):
        return {"revision_request": None, "corrected": [], "revision_due": None}
    return {
        "revision_request": services.revision_request(request.db, submission),
        "corrected": services.corrections(request.db, submission),
        "revision_due": _revisions_due(request).get(submission.id),
        "now": utcnow(),
    }


@view_config(route_name="submissions.submit", request_method="POST", permission=SUBMIT)
def submit(request: Request) -> Response:
    submission = _editable_submission(request)
    try:
        services.submit(
            request.db,
            submission,
            request.user,
            request.POST.get("version"),
            storage=request.storage,
        )
    except services.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _step(request, submission, "review")
    except workflow.TransitionNotAllowed:
        flash(request, _t(request, _("This submission cannot be submitted now.")), "error")
        return _step(request, submission, "review")
    flash(
        request,
        _t(request, _("Thank you: your submission is received. We have sent you a confirmation.")),
        "success",
    )
    return _step(request, submission, "review")


@view_config(route_name="submissions.withdraw", request_method="POST", permission=ACCOUNT)
def withdraw(request: Request) -> Response:
    submission = _submission(request)
    if request.POST.get("confirm") != "yes":
        return _to_view_with(
            request, submission, _("Tick the box to confirm that you want to withdraw.")
        )
    try:
        services.withdraw(request.db, submission, request.user, request.POST.get("reason", ""))
    except workflow.TransitionNotAllowed:
        return _to_view_with(request, submission, _("This submission can no longer be withdrawn."))
    flash(request, _t(request, _("The submission is withdrawn.")), "success")
    return _step(request, submission, "review")


@view_config(route_name="submissions.revise", request_method="POST", permission=ACCOUNT)
def revise(request: Request) -> Response:
    """The authors' revision: the revised manuscript and the response to the reviewers."""
    submission = _submission(request)
    limit = services.max_upload_bytes(request.registry.settings)

    def read(name: str) -> tuple[str, bytes] | None:
        upload = request.POST.get(name)
        if upload is None or not hasattr(upload, "file"):
            return None
        return upload.filename or "", upload.file.read(limit + 1)

    try:
        services.resubmit(
            request.db,
            request.storage,
            submission,
            request.user,
            read("manuscript"),
            read("response"),
            limit,
        )
    except services.SubmissionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _step(request, submission, "review")
    except workflow.TransitionNotAllowed:
        return _to_view_with(request, submission, _("This submission cannot be resubmitted now."))
    flash(
        request,
        _t(request, _("Thank you: your revision is submitted and goes back to the reviewers.")),
        "success",
    )
    return _step(request, submission, "review")
