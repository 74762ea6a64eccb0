"""Which host names the site answers to, and when a proxy's word about host and scheme is believed.

Every request passes :func:`host_check_tween_factory` before anything else reads it:

1. ``X-Forwarded-Host`` and ``X-Forwarded-Proto`` (and ``Forwarded``) are headers any client
   can send. They are believed only from a proxy named by ``fde.trusted_proxies`` (the
   connecting address, see :mod:`frontiers_de.security.client`), and only when a setting says
   so: ``fde.trust_forwarded_host`` and ``fde.trust_forwarded_proto``, both off by default.
   The nearest proxy's entry (the right-most) is taken. Headers that are not believed are
   removed from the request, so no later code can read them by mistake.
2. The host the request is for (``Host``, or the believed forwarded host) must be one of
   ``fde.allowed_hosts`` (environment ``FDE_ALLOWED_HOSTS``); any other gets a plain
   400 answer. Empty, the setting means the host of ``fde.base_url`` — plus ``localhost``,
   ``127.0.0.1`` and ``::1`` when that host is itself a loopback name (development, tests).
   Ports are not compared: a host name is what a poisoned link would change.

Emails never take their links from the request (``frontiers_de/mail/links.py``); this check
keeps every other absolute URL the site makes (feeds, OAI-PMH, redirects) on its own names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response
from pyramid.tweens import INGRESS

from frontiers_de.config import SiteSettings
from frontiers_de.mail.links import base_host
from frontiers_de.security.client import (
    IPNetwork,
    from_trusted_proxy,
    parse_address,
    parse_trusted_proxies,
)
from frontiers_de.security.settings import SecuritySettings
from frontiers_de.settings import load

ALLOWED_HOSTS_SETTING = "fde.allowed_hosts"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_FORWARDED_HEADERS = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED")

# Plain on purpose: it is answered before the site knows the reader's language or session.
REFUSED_HOST_MESSAGE = (
    "Bad request: this site does not answer to the host name in the request.\n"
    "Please use the journal's own address{address}.\n"
    "\n"
    "请求错误：本网站不接受该请求中的主机名。请使用期刊的正式网址{address_zh}。\n"
)


def host_name(value: str | None) -> str | None:
    """The host name of a ``Host`` header value, lower case, without port or trailing dot;
    None when it is not a plausible host name (spaces, paths, user info, bad port)."""
    if value is None:
        return None
    text = value.strip().lower()
    if not text or len(text) > 255:
        return None
    if text.startswith("["):  # [v6]:port
        inside, _, rest = text[1:].partition("]")
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        return inside if parse_address(inside) is not None else None
    name, _, port = text.partition(":")
    if port and not port.isdigit():
        return None
    name = name.removesuffix(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-._")
    if not name or not set(name) <= allowed:
        return None
    return name


def allowed_hosts(settings: Mapping[str, Any]) -> frozenset[str]:
    """The host names of ``fde.allowed_hosts`` (space or comma separated), or the default
    derived from ``fde.base_url``. A value that is not a host name raises ValueError."""
    raw = SecuritySettings.of(settings).allowed_hosts
    names: set[str] = set()
    for item in raw.replace(",", " ").split():
        name = host_name(item)
        if name is None:
            raise ValueError(
                f"{ALLOWED_HOSTS_SETTING} (FDE_ALLOWED_HOSTS): {item!r} is not a host name; "
                "write names such as journal.example.org, without scheme or path"
            )
        names.add(name)
    if names:
        return frozenset(names)
    own = base_host(settings)
    return frozenset({own} | LOOPBACK_NAMES) if own in LOOPBACK_NAMES else frozenset({own})


def _last(value: str) -> str:
    """The right-most entry of a comma-separated header: the one the nearest proxy added."""
    return value.rsplit(",", 1)[-1].strip()


def believe_proxy_headers(
    environ: dict[str, Any],
    proxies: tuple[IPNetwork, ...],
    *,
    trust_host: bool,
    trust_proto: bool,
) -> None:
    """Apply the believed forwarded host and scheme to ``environ``; remove the rest."""
    from_proxy = from_trusted_proxy(environ, proxies)
    if from_proxy and trust_host and environ.get("HTTP_X_FORWARDED_HOST"):
        environ["HTTP_HOST"] = _last(str(environ["HTTP_X_FORWARDED_HOST"]))
        environ.pop("HTTP_X_FORWARDED_HOST")
    if from_proxy and trust_proto and environ.get("HTTP_X_FORWARDED_PROTO"):
        proto = _last(str(environ["HTTP_X_FORWARDED_PROTO"])).lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
        environ.pop("HTTP_X_FORWARDED_PROTO")
    for header in _FORWARDED_HEADERS:
        environ.pop(header, None)


def host_check_tween_factory(handler: Callable[[Request], Response], registry: Registry) -> Any:
    settings = registry.settings
    allowed = allowed_hosts(settings)
    security = SecuritySettings.of(settings)
    proxies = parse_trusted_proxies(security.trusted_proxies)
    trust_host, trust_proto = security.trust_forwarded_host, security.trust_forwarded_proto
    own = SiteSettings.of(settings).base_url.rstrip("/")

    def host_check_tween(request: Request) -> Response:
        environ = request.environ
        believe_proxy_headers(environ, proxies, trust_host=trust_host, trust_proto=trust_proto)
        # A request without Host (HTTP/1.0) is addressed by the server's own name, which
        # no client chooses.
        if "HTTP_HOST" in environ and host_name(environ["HTTP_HOST"]) not in allowed:
            body = REFUSED_HOST_MESSAGE.format(
                address=f" ({own})" if own else "", address_zh=f"（{own}）" if own else ""
            )
            response = Response(body, status=400, content_type="text/plain", charset="utf-8")
            response.headers["Cache-Control"] = "no-store"
            return response
        return handler(request)

    return host_check_tween


def includeme(config: Configurator) -> None:
    load(config, SecuritySettings)
    allowed_hosts(config.get_settings())  # a bad value stops the app here, with its name
    config.add_tween("frontiers_de.security.hosts.host_check_tween_factory", under=INGRESS)
