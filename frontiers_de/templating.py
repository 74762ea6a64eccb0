"""What every page template can use: the journal, the user, languages, CSRF token, flash."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.events import BeforeRender

from frontiers_de.db import database_usable
from frontiers_de.i18n import LANGUAGES, html_lang, pgettext
from frontiers_de.paragraphs import paragraphs
from frontiers_de.submissions.credit import credit_role


def add_globals(event: BeforeRender) -> None:
    request = event.get("request")
    if request is None:
        return
    # A page for a request whose transaction failed (an error page after a lost race)
    # renders without the database: asking a failed session again would raise inside the
    # error page itself.
    usable = database_usable(request)
    if "journal" not in event:
        event["journal"] = request.journal if usable else None
    if "user" not in event:
        event["user"] = request.user if usable else None
    event.setdefault("languages", LANGUAGES)
    event.setdefault("locale", request.locale_name)
    event.setdefault("html_lang", html_lang)
    event.setdefault("csrf_token", get_csrf_token(request))
    event.setdefault("paragraphs", paragraphs)  # an abstract as <p>s: one rule everywhere
    journal = event["journal"]
    # the journal's name in the interface language (数字教育前沿 on a Chinese page)
    event.setdefault(
        "journal_name", journal.title_in(request.locale_name) if journal else "FDE Press"
    )
    event.setdefault(
        "journal_other_name", journal.other_title(request.locale_name) if journal else None
    )

    def translate_in_context(
        context: str, msgid: str, mapping: dict[str, Any] | None = None
    ) -> str:
        """``pgettext`` in templates: a word with two meanings, told apart by ``context``."""
        return str(request.localizer.translate(pgettext(context, msgid, mapping)))

    event.setdefault("pgettext", translate_in_context)

    def credit_label(value: str) -> str:
        """A CRediT role (its name or slug) by its name in the interface language."""
        role = credit_role(value)
        return str(request.localizer.translate(role.label)) if role else value

    event.setdefault("credit_label", credit_label)

    def flashes() -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for queue in ("error", "warning", "success", "info"):
            out += [(queue, str(m)) for m in request.session.pop_flash(queue)]
        return out

    event.setdefault("flashes", flashes)
    event.setdefault("has_route", lambda name: name in route_names(request))
    event.setdefault("journal_may", lambda permission: journal_may(request, permission))


def journal_may(request: Any, permission: str) -> bool:
    """Whether the user holds ``permission`` in the journal (the navigation's links), asked
    of the journal and not of the page's own object: an editor on their own submission's
    page still has the editorial queue in the menu."""
    from frontiers_de.security.root import JournalRoot

    return bool(request.has_permission(permission, JournalRoot(request)))


def route_names(request: Any) -> set[str]:
    from pyramid.interfaces import IRoutesMapper

    mapper = request.registry.queryUtility(IRoutesMapper)
    return {r.name for r in mapper.get_routes()} if mapper else set()


def flash(request: Any, message: str, queue: str = "info") -> None:
    """A message shown once on the next page (queues: info, success, warning, error)."""
    request.session.flash(message, queue)


def includeme(config: Configurator) -> None:
    config.add_subscriber(add_globals, BeforeRender)
