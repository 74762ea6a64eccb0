"""Administration pages: who holds which role in the journal, and the journal's settings
and sections. Every change is a POST with the CSRF token (checked for every unsafe request)."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.security import remember
from pyramid.view import view_config
from sqlalchemy import select

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.accounts.services import AccountError
from frontiers_de.accounts.views import account_service
from frontiers_de.admin import forms
from frontiers_de.editorial import handling
from frontiers_de.editorial.services import EditorialError
from frontiers_de.forms import Field, read_form, translate_errors
from frontiers_de.i18n import _
from frontiers_de.journals import services as journals
from frontiers_de.journals.models import Journal, Section
from frontiers_de.security.permissions import Permission
from frontiers_de.security.roles import ROLE_LABELS, Role
from frontiers_de.submissions.models import ReviewMode
from frontiers_de.submissions.services import REVIEW_MODE_LABELS
from frontiers_de.templating import flash


def _journal(request: Request) -> Journal:
    """The journal (resources.JournalContext answered 404 without one)."""
    journal: Journal = request.journal
    return journal


def _flash_errors(request: Request, errors: dict[str, Any]) -> None:
    for message in translate_errors(request, errors).values():
        flash(request, message, "error")


# --- roles ---------------------------------------------------------------------------------

_SEARCH = Field("q", max_length=200)


@view_config(
    route_name="admin.roles",
    request_method="GET",
    renderer="admin/roles.html",
    permission=Permission.ADMIN,
)
def roles(request: Request) -> dict[str, Any]:
    journal = _journal(request)
    search = read_form(request.GET, (_SEARCH,))
    query = search.values.get("q", "")
    found = account_service(request).search_users(query) if query else []
    assignments = request.db.scalars(
        select(RoleAssignment)
        .join(User, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.journal_id == journal.id)
        .order_by(User.email_key, RoleAssignment.role)
    ).all()
    holders: dict[int, tuple[User, list[RoleAssignment]]] = {}
    for a in assignments:
        holders.setdefault(a.user_id, (a.user, []))[1].append(a)
    return {
        "query": query if search.ok else "",
        "search_errors": translate_errors(request, search.errors),
        "found": found,
        "holders": list(holders.values()),
        "roles": list(Role),
        "role_labels": {r: request.localizer.translate(ROLE_LABELS[r]) for r in Role},
        "sections": journal.sections,
        "editor_sections": handling.sections_by_editor(request.db, journal.id),
    }


@view_config(route_name="admin.roles", request_method="POST", permission=Permission.ADMIN)
def change_role(request: Request) -> Response:
    journal = _journal(request)
    accounts = account_service(request)
    action = request.POST.get("action")
    headers: list[tuple[str, str]] = []
    if action == "grant":
        form = read_form(request.POST, forms.GRANT_FIELDS)
        user = request.db.get(User, form.values["user_id"]) if form.ok else None
        if form.ok and user is None:
            form.errors["user_id"] = _("There is no such user.")
        if form.ok and user is not None:
            accounts.grant_role(user, journal.id, form.values["role"], granted_by=request.user)
            flash(
                request,
                request.localizer.translate(
                    _(
                        "${user} is now ${role}.",
                        mapping={
                            "user": user.email,
                            "role": request.localizer.translate(
                                ROLE_LABELS[Role(form.values["role"])]
                            ),
                        },
                    )
                ),
                "success",
            )
        _flash_errors(request, form.errors)
    elif action == "revoke":
        form = read_form(request.POST, forms.REVOKE_FIELDS)
        assignment = (
            request.db.get(RoleAssignment, form.values["assignment_id"]) if form.ok else None
        )
        if assignment is None or assignment.journal_id != journal.id:
            form.errors.setdefault("assignment_id", _("There is no such role assignment."))
        else:
            holder = assignment.user
            try:
                accounts.revoke_role(assignment)  # ends the holder's sessions
            except AccountError as exc:
                form.errors["assignment_id"] = exc.message
            else:
                if holder.id == request.user.id:
                    # An admin who gave up one of their own roles stays signed in here.
                    headers = remember(request, holder.id)
                flash(request, request.localizer.translate(_("The role was revoked.")), "success")
        _flash_errors(request, form.errors)
    elif action == "sections":
        _set_sections(request, journal)
    else:
        flash(request, request.localizer.translate(_("Unknown action.")), "error")
    return HTTPFound(
        request.route_path("admin.roles", _query={"q": request.POST.get("q", "")[:200]}),
        headers=headers,
    )


def _set_sections(request: Request, journal: Journal) -> None:
    """The sections whose papers a section editor handles (none: the whole journal)."""
    user_id = str(request.POST.get("user_id", ""))
    user = request.db.get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 19 else None
    if user is None:
        flash(request, request.localizer.translate(_("There is no such user.")), "error")
        return
    try:
        chosen = handling.set_sections(
            request.db, journal.id, user, request.POST.getall("section_id")
        )
    except EditorialError as exc:
        flash(request, request.localizer.translate(exc.message), "error")
        return
    done = (
        _("${user} handles the papers of the chosen sections.", mapping={"user": user.email})
        if chosen
        else _("${user} handles the papers of every section.", mapping={"user": user.email})
    )
    flash(request, request.localizer.translate(done), "success")


# --- journal settings and sections ---------------------------------------------------------


def _journal_page(
    request: Request, journal: Journal, values: dict[str, Any], errors: Any
) -> dict[str, Any]:
    return {
        "values": values,
        "errors": translate_errors(request, errors),
        "sections": sorted(journal.sections, key=lambda s: (s.position, s.id)),
        "article_types": journals.ARTICLE_TYPES,
        "review_modes": {
            k.value: request.localizer.translate(v) for k, v in REVIEW_MODE_LABELS.items()
        },
    }


@view_config(route_name="admin.journal", renderer="admin/journal.html", permission=Permission.ADMIN)
def journal_settings(request: Request) -> Any:
    journal = _journal(request)
    if request.method != "POST":
        values = {name: getattr(journal, name) for name in journals.JOURNAL_SETTINGS}
        return _journal_page(request, journal, values, {})
    form = read_form(request.POST, forms.JOURNAL_FIELDS)
    if form.ok:
        try:
            journals.update_journal(journal, form.values)
        except journals.JournalSettingsError as exc:
            form.errors[exc.field or "__all__"] = exc.message
        else:
            flash(
                request,
                request.localizer.translate(_("The journal settings are saved.")),
                "success",
            )
            return HTTPFound(request.route_path("admin.journal"))
    request.response.status_int = 400
    return _journal_page(request, journal, form.sent, form.errors)


@view_config(route_name="admin.sections", request_method="POST", permission=Permission.ADMIN)
def change_section(request: Request) -> Response:
    journal = _journal(request)
    action = request.POST.get("action")
    fields = {
        "add": forms.SECTION_ADD_FIELDS,
        "update": forms.SECTION_UPDATE_FIELDS,
        "move": forms.SECTION_MOVE_FIELDS,
    }.get(action if isinstance(action, str) else "")
    if fields is None:
        flash(request, request.localizer.translate(_("Unknown action.")), "error")
        return HTTPFound(request.route_path("admin.journal"))
    form = read_form(request.POST, fields)
    section: Section | None = None
    if form.ok and "section_id" in form.values:
        section = request.db.get(Section, form.values["section_id"])
        if section is None or section.journal_id != journal.id:
            form.errors["section_id"] = _("There is no such section.")
    if form.ok:
        try:
            if action == "add":
                journals.add_section(
                    request.db,
                    journal,
                    form.values["name"],
                    form.values["name_zh"],
                    form.values["article_type"],
                    form.values.get("review_mode") or ReviewMode.SINGLE_ANONYMOUS,
                )
            elif action == "update":
                assert section is not None
                journals.update_section(journal, section, form.values)
            else:
                assert section is not None
                journals.move_section(journal, section, form.values["direction"])
        except journals.JournalSettingsError as exc:
            form.errors[exc.field or "__all__"] = exc.message
        else:
            flash(request, request.localizer.translate(_("The sections are saved.")), "success")
    _flash_errors(request, form.errors)
    return HTTPFound(request.route_path("admin.journal", _anchor="sections"))
