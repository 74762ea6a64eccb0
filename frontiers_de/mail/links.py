"""Every link in every email: the route's path under ``fde.base_url``, never the request's host.

A link built from the request (``request.route_url``) takes its host from the ``Host`` header
(or, behind a careless proxy, ``X-Forwarded-Host``), which the client chooses: a password
reset asked for with ``Host: evil.example`` would mail a working token to evil.example.
Emails therefore build their links here, from the configured public address alone:

- everywhere: ``email_url(settings, "review.assignment", assignment_id=7)``: in the
  notification subscribers (with ``mail.services.settings_of(event)``, in a request or
  not), the reminders and the other tasks, the command line. It needs no request and no
  app: it builds on a registry of the app's route table alone (``frontiers_de.routes``), so
  it works under the subscribers-only registry too, which has no routes;
- in a view, the same as ``request.email_url("accounts.reset", token=token)``.

Both take the route names and keywords of ``request.route_url`` (``_query``, ``_anchor``,
path elements), so a link follows the route table if a path changes. Email templates get
``base_url`` (for the site's address) and the links a sender passes; they never build a link
themselves. ``tests/security/test_link_poisoning.py`` sends every kind of email under a hostile
``Host`` and fails if any link in any of them does not start with ``fde.base_url``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request

from frontiers_de.config import SiteSettings

BASE_URL_SETTING = "fde.base_url"


def base_url(settings: Mapping[str, Any]) -> str:
    """The site's public address from ``fde.base_url`` (environment ``FDE_BASE_URL``),
    without a trailing slash. Anything but an absolute http(s) URL with a host (and no
    query, fragment or credentials) raises ValueError naming the setting, so a typo stops
    the app instead of mailing broken links."""
    raw = SiteSettings.of(settings).base_url.strip()
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        parts = parts._replace(netloc="")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
        or any(ch.isspace() or ord(ch) < 0x20 for ch in raw)
    ):
        raise ValueError(
            f"{BASE_URL_SETTING} (FDE_BASE_URL): {raw!r} is not the site's address; write an "
            "absolute http(s) URL such as https://journal.example.org"
        )
    return raw.rstrip("/")


def base_host(settings: Mapping[str, Any]) -> str:
    """The host name of ``fde.base_url``, lower case (no port)."""
    host = urlsplit(base_url(settings)).hostname
    assert host  # base_url() refuses an address without one
    return host


@functools.lru_cache(maxsize=1)
def _routes_registry() -> Registry:
    """A registry that knows the app's routes and nothing else, for links made outside a
    request (the Celery worker has settings, not the web app's registry)."""
    config = Configurator()
    config.include("frontiers_de.routes")
    config.commit()
    return config.registry


def email_url(settings: Mapping[str, Any], route_name: str, *elements: Any, **kw: Any) -> str:
    """The absolute URL of ``route_name`` under ``fde.base_url`` (keywords as for
    ``request.route_url``), for emails sent without a request."""
    app_url = base_url(settings)
    request = Request.blank("/", base_url=app_url)
    request.registry = _routes_registry()
    return request.route_url(route_name, *elements, _app_url=app_url, **kw)


def request_email_url(request: Request, route_name: str, *elements: Any, **kw: Any) -> str:
    """``request.email_url``: like ``request.route_url``, but under ``fde.base_url`` whatever
    host the request came to."""
    if "_app_url" in kw or "_host" in kw or "_scheme" in kw or "_port" in kw:
        raise TypeError("email links always use fde.base_url")
    return request.route_url(
        route_name, *elements, _app_url=base_url(request.registry.settings), **kw
    )


def includeme(config: Configurator) -> None:
    base_url(config.get_settings())  # a bad address stops the app here, with its name
    config.add_request_method(request_email_url, "email_url")
