"""Site-wide pages: home, language choice, health, and the error pages."""

from __future__ import annotations

import logging
from typing import Any

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import (
    exception_view_config,
    forbidden_view_config,
    notfound_view_config,
    view_config,
)
from pyramid_retry import is_last_attempt
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from frontiers_de.db import is_conflict
from frontiers_de.forms import ensure_context
from frontiers_de.i18n import LANGUAGE_COOKIE, LANGUAGES, _
from frontiers_de.responses import wants_json
from frontiers_de.security.permissions import Permission
from frontiers_de.security.redirects import redirect_target
from frontiers_de.throttling.services import Throttled

log = logging.getLogger(__name__)


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
    # Refused by the object, not by the journal (someone else's submission, an id that is
    # not there, an unpublished article): 404, so that no answer tells which ids exist
    # (resources.ObjectContext). Only rights the user holds in the journal count here, so
    # a visitor asking for a private page is still sent to sign in.
    hides = getattr(request.context, "hides", None)
    if hides is not None and hides(getattr(exc.result, "permission", None)):
        request.response.status_int = 404
        return render_to_response("errors/404.html", {}, request=request, response=request.response)
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


CONFLICT_MESSAGE = _(
    "Someone else changed this at the same moment, so your change was not saved. Reload "
    "the page to see the current version, then make your change again if it is still needed."
)


def _same_site_referer(request: Request) -> str:
    """The page the form was on (to reload it), if it is one of ours; else the home page."""
    referer = request.referer or ""
    origin = request.host_url + "/"
    path = "/" + referer[len(origin) :] if referer.startswith(origin) else ""
    return redirect_target(request, path)


@exception_view_config(StaleDataError, renderer="errors/409.html")
@exception_view_config(OperationalError, renderer="errors/409.html")
def conflict(exc: Exception, request: Request) -> Any:
    """A request that lost a race with another one (a versioned row saved in between, a
    deadlock, a busy lock). pyramid_retry runs it again on a fresh transaction and throws
    this answer away; only when the retries are used up does the reader see it: the
    stale-form refusal, 409, in JSON for a script (autosave). Rendered without the
    database, whose transaction has failed."""
    if not is_conflict(exc):  # a database that is down, say: not a race
        return render_to_response("errors/500.html", server_error(exc, request), request)
    if is_last_attempt(request):
        log.warning("conflict on %s %s, retries used up: %s", request.method, request.path, exc)
    else:
        log.info("conflict on %s %s, retrying: %s", request.method, request.path, exc)
    message = request.localizer.translate(CONFLICT_MESSAGE)
    if wants_json(request):
        response = Response(json_body={"message": message, "conflict": True}, status=409)
        response.headers["Cache-Control"] = "no-store"
        return response
    request.response.status_int = 409
    request.response.headers["Cache-Control"] = "no-store"
    return {"message": message, "reload": _same_site_referer(request)}


@exception_view_config(Exception, renderer="errors/500.html")
def server_error(exc: Exception, request: Request) -> dict[str, Any]:
    # The reader sees a plain apology; the details go to the log only. The page renders
    # without the database (the layout's journal and user are None when the request's
    # transaction failed: frontiers_de.db.database_usable).
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    request.response.status_int = 500
    return {"journal": None, "user": None}
