"""Site-wide pages: home, language choice, health, and the error pages."""

from __future__ import annotations

import logging
from typing import Any

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import (
    exception_view_config,
    forbidden_view_config,
    notfound_view_config,
    view_config,
)
from sqlalchemy import text

from frontiers_de.forms import ensure_context
from frontiers_de.i18n import LANGUAGE_COOKIE, LANGUAGES
from frontiers_de.security.permissions import Permission
from frontiers_de.security.redirects import redirect_target
from frontiers_de.throttling.services import Throttled

log = logging.getLogger(__name__)


@view_config(route_name="home", renderer="home.html", permission=Permission.VIEW)
def home(request: Request) -> dict[str, Any]:
    from frontiers_de.production.services import recently_published

    journal = request.journal
    sections = [s for s in journal.sections if s.is_active] if journal else []
    articles = recently_published(request.db, journal.id, limit=10) if journal else []
    return {"sections": sections, "articles": articles}


@view_config(route_name="site.language", request_method="POST")
def set_language(request: Request) -> Response:
    lang = request.POST.get("language", "")
    if lang not in LANGUAGES:
        raise HTTPBadRequest(f"unknown language {lang!r}")
    response = HTTPFound(location=redirect_target(request, request.POST.get("next")))
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@view_config(route_name="site.health", renderer="json", permission=Permission.VIEW)
def health(request: Request) -> dict[str, str]:
    request.db.execute(text("SELECT 1"))
    return {"status": "ok"}


@forbidden_view_config(renderer="errors/403.html")
def forbidden(exc: HTTPForbidden, request: Request) -> Any:
    if request.user is None and request.method == "GET":
        return HTTPFound(
            location=request.route_path("accounts.login", _query={"next": request.path_qs})
        )
    request.response.status_int = 403
    return {}


@notfound_view_config(renderer="errors/404.html")
def notfound(exc: HTTPNotFound, request: Request) -> dict[str, Any]:
    request.response.status_int = 404
    return {}


@exception_view_config(HTTPBadRequest, renderer="errors/400.html")
def bad_request(exc: HTTPBadRequest, request: Request) -> dict[str, Any]:
    ensure_context(request)
    request.response.status_int = 400
    return {"detail": exc.detail if isinstance(exc.detail, str) else ""}


@exception_view_config(Throttled, renderer="errors/429.html")
def too_many_attempts(exc: Throttled, request: Request) -> dict[str, Any]:
    """A client over one of its limits (where the answer is not a form page showing it)."""
    request.response.status_int = 429
    request.response.headers["Retry-After"] = str(exc.seconds)
    request.response.headers["Cache-Control"] = "no-store"
    # Emailed links carry their token in the path: keep it out of Referer headers.
    request.response.headers["Referrer-Policy"] = "no-referrer"
    return {"message": request.localizer.translate(exc.message), "minutes": exc.minutes}


@exception_view_config(Exception, renderer="errors/500.html")
def server_error(exc: Exception, request: Request) -> dict[str, Any]:
    # The reader sees a plain apology; the details go to the log only.
    log.exception("unhandled error on %s %s", request.method, request.path)
    request.response.status_int = 500
    return {"journal": None, "user": None}
