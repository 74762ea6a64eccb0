"""File responses: one rule for every download the app sends.

Every file goes out with its type, ``X-Content-Type-Options: nosniff`` (a browser must not
guess that an uploaded file is a page) and a ``Content-Disposition`` that carries any file
name safely: an ASCII fallback with the characters that would break the header replaced,
and the real name in ``filename*`` (RFC 6266 with RFC 5987 encoding), so a name with
quotes, a backslash, Chinese characters or a line break can neither break the header nor
be lost. The Content-Security-Policy of every response, and the rule that XML is always
an attachment, live in :mod:`frontiers_de.security.headers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response

from frontiers_de.i18n import translate
from frontiers_de.storage import FileNotStored, FileStorage


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with the name as ASCII and as UTF-8."""
    kind = "inline" if inline else "attachment"
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    body: bytes | str,
    media_type: str,
    filename: str,
    *,
    inline: bool = False,
    conditional: bool = False,
    private: bool = False,
) -> Response:
    """A file for download (or shown in the browser with ``inline``). Text is sent as
    UTF-8. ``conditional`` lets an ETag or Last-Modified set by the caller answer 304;
    ``private`` files (a submission's, a review's) are never kept by caches."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = Response(body=data, content_type=media_type, conditional_response=conditional)
    if isinstance(body, str):
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def stored_bytes(storage: FileStorage, digest: str) -> bytes:
    """The stored file's bytes; a file the storage has lost is a 404, not an error page."""
    try:
        return storage.get(digest)
    except FileNotStored:
        raise HTTPNotFound() from None


def token_link(response: Response) -> Response:
    """The answer to an emailed link whose token is in the path (a review invitation, a
    proof): the token stays out of Referer headers and out of caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def link_not_usable(request: Request, heading: Any, message: Any, status: int) -> Response:
    """The page for a token link that cannot be used (``heading`` and ``message`` are
    ``_()`` strings): one template, no Referer, not cached."""
    response = render_to_response(
        "link_not_usable.html",
        {"heading": translate(request, heading), "message": translate(request, message)},
        request=request,
    )
    response.status_int = status
    return token_link(response)


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON rather than a page (a script such as
    static/js/autosave.js sends ``Accept: application/json``): its errors answer in JSON."""
    offers = request.accept.acceptable_offers(["text/html", "application/json"])
    return bool(offers) and offers[0][0] == "application/json"


@dataclass(frozen=True)
class ServedAsset:
    """What an asset route sends: the bytes for display, their type, an ETag and the name."""

    body: bytes
    media_type: str
    etag: str
    filename: str
    last_modified: dt.datetime
    inline: bool


# Article files are sent as data, never as a page: no script may run from them (an SVG
# opened on its own is a document that could carry one), no plugin, no framing.
ASSET_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


def asset_response(
    request: Request, served: ServedAsset, *, public: bool, max_age: int = 3600
) -> Response:
    """The response for an article's file: its type, ``nosniff``, a policy that runs no
    script, the SHA-256 as ETag (a matching ``If-None-Match`` gets 304), and caching
    (public for published articles; private and revalidated in production)."""
    response = file_response(
        served.body, served.media_type, served.filename, inline=served.inline, conditional=True
    )
    response.etag = served.etag
    response.last_modified = served.last_modified
    response.headers["Content-Security-Policy"] = ASSET_SECURITY_POLICY
    if public:
        # Not immutable: the file under a name can be replaced (a correction); the ETag
        # makes the check after max-age cheap.
        response.cache_control.public = True
        response.cache_control.max_age = max_age
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response
