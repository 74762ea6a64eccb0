"""The journal's email templates, for its admin: the list (``/admin/emails``) and one
template in one language (``/admin/emails/{template}/{lang}``) with its variables, a
preview with a real submission of the journal, saving the journal's own text and restoring
the default. Every change is a POST with the CSRF token; a refused text stays in the form
with the reason beside it, and nothing is saved."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.admin import emails
from frontiers_de.i18n import LANGUAGES, _
from frontiers_de.i18n import translate as _t
from frontiers_de.mail import overrides
from frontiers_de.mail.catalogue import EMAIL_LANGUAGES, TEMPLATES, EmailTemplate
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash

EDIT_RENDERER = "admin/email.html"


@view_config(
    route_name="admin.emails",
    request_method="GET",
    renderer="admin/emails.html",
    permission=Permission.ADMIN,
)
def email_list(request: Request) -> dict[str, Any]:
    return {
        "rows": emails.template_rows(request.db, request.journal.id),
        "purposes": {name: _t(request, t.purpose) for name, t in TEMPLATES.items()},
        "languages": {lang: LANGUAGES[lang] for lang in EMAIL_LANGUAGES},
    }


def _template(request: Request) -> tuple[EmailTemplate, str]:
    """The route's template and language (404 for an email the system does not send)."""
    declared = TEMPLATES.get(request.matchdict["template"])
    lang = request.matchdict["lang"]
    if declared is None or lang not in EMAIL_LANGUAGES:
        raise HTTPNotFound()
    return declared, lang


def _edit_page(
    request: Request,
    declared: EmailTemplate,
    lang: str,
    *,
    text: tuple[str, str] | None = None,
    errors: dict[str, str] | None = None,
    preview_text: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The edit page: the form (``text``, else what is in use), the variables, and the
    preview (of ``preview_text`` unsaved, else of what is in use)."""
    db, settings, journal = request.db, request.registry.settings, request.journal
    subject, body, row = emails.current_text(db, settings, journal.id, declared.name, lang)
    try:
        submission = emails.preview_submission(db, journal.id, request.params.get("submission"))
    except LookupError:
        raise HTTPNotFound() from None
    preview, preview_error = None, ""
    try:
        preview = emails.preview(
            db, settings, journal, declared.name, lang, submission, preview_text
        )
    except overrides.OverrideError:
        preview_error = _t(request, _("Correct the text to see the preview."))
    if text is not None:
        subject, body = text
    return {
        "t": declared,
        "purpose": _t(request, declared.purpose),
        "lang": lang,
        "language": LANGUAGES[lang],
        "override": row,
        "values": {"subject": subject, "body": body},
        "errors": errors or {},
        "variables": [(v.name, _t(request, v.description)) for v in declared.variables],
        "preview": preview,
        "preview_error": preview_error,
        "unsaved_preview": preview_text is not None and preview is not None,
        "submission": submission,
        "submissions": emails.preview_submissions(db, journal.id),
    }


@view_config(
    route_name="admin.email",
    request_method="GET",
    renderer=EDIT_RENDERER,
    permission=Permission.ADMIN,
)
def email_edit(request: Request) -> dict[str, Any]:
    declared, lang = _template(request)
    return _edit_page(request, declared, lang)


@view_config(
    route_name="admin.email",
    request_method="POST",
    renderer=EDIT_RENDERER,
    permission=Permission.ADMIN,
)
def email_change(request: Request) -> Any:
    """Save the journal's own text, preview it unsaved, or restore the default."""
    declared, lang = _template(request)
    db, journal = request.db, request.journal
    back = request.route_path("admin.email", template=declared.name, lang=lang)
    action = request.POST.get("action")
    if action == "restore":
        if overrides.restore_default(db, journal.id, declared.name, lang):
            flash(request, _t(request, _("The default text is in use again.")), "success")
        return HTTPFound(back)
    text = (str(request.POST.get("subject", ""))[:2000], str(request.POST.get("body", ""))[:40000])
    if action == "preview":
        return _edit_page(
            request,
            declared,
            lang,
            text=text,
            preview_text=text,
            errors=_errors(request, declared, text, journal),
        )
    if action != "save":
        raise HTTPNotFound()
    try:
        overrides.save(db, journal, declared.name, lang, *text, request.user)
    except overrides.OverrideError as exc:
        request.response.status_int = 400
        errors = {k: _t(request, v) for k, v in exc.errors.items()}
        return _edit_page(request, declared, lang, text=text, errors=errors)
    flash(request, _t(request, _("The journal's own text of this email is saved.")), "success")
    return HTTPFound(back)


def _errors(
    request: Request, declared: EmailTemplate, text: tuple[str, str], journal: Any
) -> dict[str, str]:
    """What a preview shows beside the form: the same checks as saving."""
    try:
        overrides.check(declared.name, *text, overrides.journal_view(journal))
    except overrides.OverrideError as exc:
        return {k: _t(request, v) for k, v in exc.errors.items()}
    return {}
