"""The journal's deadline rules, edited by its administrator (``/admin/deadlines``): one
row per kind of deadline (the rules live in :mod:`frontiers_de.deadlines.rules`). The form
is saved whole or not at all; a refused value keeps every value typed, with its reason
beside it (400)."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.deadlines import rules
from frontiers_de.forms import translate_errors
from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash


def _page(request: Request, values: dict[str, str], errors: dict[str, Any]) -> dict[str, Any]:
    translate = request.localizer.translate
    return {
        "kinds": [
            {
                "kind": kind.value,
                "label": translate(rules.KIND_LABELS[kind]),
                "responsible": translate(rules.RESPONSIBLE_LABELS[kind]),
                "field": {
                    part: rules.field_name(kind, part)
                    for part in ("period", "before", "after", "escalate")
                },
            }
            for kind in rules.DeadlineKind
        ],
        "values": values,
        "errors": translate_errors(request, errors),
        "max_days": rules.MAX_DAYS,
    }


@view_config(
    route_name="admin.deadlines",
    request_method="GET",
    renderer="admin/deadlines.html",
    permission=Permission.ADMIN,
)
def deadline_rules(request: Request) -> dict[str, Any]:
    journal: Journal = request.journal
    book = rules.rule_book(request.db, [journal.id])
    return _page(request, rules.form_values(book.rules(journal.id)), {})


@view_config(
    route_name="admin.deadlines",
    request_method="POST",
    renderer="admin/deadlines.html",
    permission=Permission.ADMIN,
)
def save_deadline_rules(request: Request) -> Any:
    journal: Journal = request.journal
    try:
        rules.save_rules(request.db, journal.id, request.POST, request.user.id)
    except rules.RulesInvalid as exc:
        request.response.status = 400
        sent = {
            rules.field_name(kind, part): str(request.POST.get(rules.field_name(kind, part), ""))[
                :100
            ]
            for kind in rules.DeadlineKind
            for part in ("period", "before", "after", "escalate")
        }
        return _page(request, sent, dict(exc.errors))
    flash(request, request.localizer.translate(_("The deadline rules are saved.")), "success")
    return HTTPFound(request.route_path("admin.deadlines"))
