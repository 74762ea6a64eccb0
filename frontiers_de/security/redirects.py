"""Where a page may send the reader next: the one rule for ``next`` (and any other address a
request names for a redirect).

A redirect to an address the request chose is an open redirect unless it stays on the site:
a link to ``/login?next=//evil.example`` would send a reader who signs in to the attacker's
look-alike page. Browsers are generous readers of a Location header — they drop tabs and
line breaks anywhere and treat ``\\`` as ``/`` — so ``/\\evil.example`` and ``/\\t/evil.example``
are other sites too; and a control character in a Location header is a header injection,
which the server refuses with a 500. So a target is used only when it is a plain path on
this site: it starts with one ``/``, has no scheme or host, no backslash, no control,
format or white-space character, and is not overlong. Anything else means the home page.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, urlsplit

from pyramid.request import Request

MAX_TARGET_LENGTH = 2000
# Kept as they are when the path is made ASCII for the Location header: the characters a
# URL path and query may hold, and "%" so that existing escapes stay escapes.
_URL_SAFE = "/?#[]@!$&'()*+,;=:-._~%"


def _unsafe_char(ch: str) -> bool:
    # Cc control (tab, CR, LF, NUL, DEL, C1), Cf format (bidi overrides, zero width),
    # Cs/Co/Cn surrogates, private use, unassigned; Zs/Zl/Zp and other white space.
    return ch == "\\" or ch.isspace() or unicodedata.category(ch).startswith(("C", "Z"))


def safe_redirect_path(target: object) -> str | None:
    """``target`` as a same-site path safe to put in a Location header (non-ASCII
    percent-encoded), or None when it is not one."""
    if not isinstance(target, str) or not target or len(target) > MAX_TARGET_LENGTH:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    if any(_unsafe_char(ch) for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return quote(target, safe=_URL_SAFE)


def redirect_target(request: Request, target: object) -> str:
    """Where to send the reader: ``target`` when it is a safe same-site path, else home."""
    return safe_redirect_path(target) or request.route_path("home")
