"""Security headers on every response: one rule, decided by what the response is.

- HTML pages get the site-wide Content-Security-Policy (:data:`SITE_POLICY`): scripts, styles,
  images and fonts only from the site itself, never inline (templates keep their script and
  CSS in static files), no plugins, no ``<base>`` elsewhere, no framing.
- XML (an article's JATS, OAI-PMH, feeds, Crossref batches) is data, never a page: it goes
  out as an attachment with :data:`DATA_POLICY` (``sandbox``: even a browser that renders
  it runs no script in the site's origin). Authors write the JATS, so this holds whatever
  slipped past the converter.
- Other files (JSON, text, images, static CSS and JS) get :data:`DATA_POLICY` too. PDFs are
  left without a policy: Chromium's PDF viewer does not open in a sandboxed document.
- Every response gets ``X-Content-Type-Options: nosniff``.

A view that sets its own Content-Security-Policy (an article's figures, in
``responses.asset_response``) keeps it: such policies are at least as strict.
"""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.events import NewResponse
from pyramid.request import Request
from pyramid.response import Response

SITE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
DATA_POLICY = "default-src 'none'; sandbox"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types a browser's own viewer shows, which a sandbox would block.
VIEWER_TYPES = frozenset({"application/pdf"})


def is_xml(media_type: str) -> bool:
    """XML of any kind (``application/xml``, ``text/xml``, ``application/atom+xml`` …)."""
    return media_type in ("application/xml", "text/xml") or media_type.endswith("+xml")


def policy_for(media_type: str) -> str | None:
    """The Content-Security-Policy for a response of this type (None: no policy)."""
    if media_type in HTML_TYPES:
        return SITE_POLICY
    if media_type in VIEWER_TYPES:
        return None
    return DATA_POLICY


def as_attachment(disposition: str | None) -> str:
    """The Content-Disposition with ``inline`` turned into ``attachment`` (name kept)."""
    if not disposition:
        return "attachment"
    kind, _, rest = disposition.partition(";")
    if kind.strip().lower() == "attachment":
        return disposition
    return "attachment" + (";" + rest if rest else "")


def apply_security_headers(response: Response) -> None:
    """Set the headers of the module docstring on ``response``, in place."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    media_type = (response.content_type or "").lower()
    if not media_type or "Content-Security-Policy" in headers:
        return
    policy = policy_for(media_type)
    if policy is not None:
        headers["Content-Security-Policy"] = policy
    if is_xml(media_type):
        headers["Content-Disposition"] = as_attachment(headers.get("Content-Disposition"))


def _debug_toolbar_request(request: Request) -> bool:
    """A page of pyramid_debugtoolbar (development only), which needs its inline script."""
    settings = request.registry.settings
    if "pyramid_debugtoolbar" not in str(settings.get("pyramid.includes", "")):
        return False
    prefix = str(settings.get("debugtoolbar.route_prefix") or "/_debug_toolbar")
    return request.path_info.startswith(prefix.rstrip("/") + "/")


def on_new_response(event: NewResponse) -> None:
    if _debug_toolbar_request(event.request):
        return
    apply_security_headers(event.response)


def includeme(config: Configurator) -> None:
    config.add_subscriber(on_new_response, NewResponse)
