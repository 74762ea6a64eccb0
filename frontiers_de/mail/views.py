"""``/account/notifications``: each signed-in user chooses, per kind of notification, between
at once, the daily digest and off (``mail.preferences``); the kinds a process needs are shown
as always sent at once. Thin: read the choices, store them, show the page again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.forms import translate_errors
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.mail import preferences
from frontiers_de.mail.kinds import AUDIENCE_LABELS, EDITOR, KINDS
from frontiers_de.mail.models import Delivery
from frontiers_de.security.permissions import Permission
from frontiers_de.security.roles import Role
from frontiers_de.templating import flash

# Who is shown the editors' kinds: those who hold a role that handles papers somewhere.
EDITORIAL_ROLES = frozenset(
    {Role.SECTION_EDITOR, Role.EDITOR_IN_CHIEF, Role.PRODUCTION_EDITOR, Role.ADMIN}
)


def _page(
    request: Request, chosen: Mapping[str, Delivery], errors: Mapping[str, Any]
) -> dict[str, Any]:
    audiences = dict(AUDIENCE_LABELS)
    if not {r.role for r in request.user.roles} & EDITORIAL_ROLES:
        del audiences[EDITOR]
    groups = [
        (request.localizer.translate(label), [k for k in KINDS if k.audience == audience])
        for audience, label in audiences.items()
    ]
    return {
        "groups": [(label, kinds) for label, kinds in groups if kinds],
        "labels": {k.key: request.localizer.translate(k.label) for k in KINDS},
        "chosen": {key: delivery.value for key, delivery in chosen.items()},
        "deliveries": {
            d.value: request.localizer.translate(label)
            for d, label in preferences.DELIVERY_LABELS.items()
        },
        "field_prefix": preferences.FIELD_PREFIX,
        "errors": translate_errors(request, errors),
    }


@view_config(
    route_name="accounts.notifications",
    renderer="mail/preferences.html",
    permission=Permission.ACCOUNT,
)
def notification_preferences(request: Request) -> Any:
    user = request.user
    current = preferences.preferences_of(request.db, user.id)
    if request.method != "POST":
        return _page(request, current, {})
    try:
        chosen = preferences.read_choices(request.POST)
    except preferences.PreferenceError as exc:
        # Nothing is saved; the page shows the choices sent (the stored one where a choice
        # was refused), each refusal beside its kind.
        return _page(request, {**current, **exc.chosen}, exc.errors)
    preferences.set_preferences(request.db, user.id, chosen)
    flash(request, _t(request, _("Your notification choices are saved.")), "success")
    return HTTPFound(request.route_path("accounts.notifications"))
