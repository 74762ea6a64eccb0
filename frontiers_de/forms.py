"""Reading HTML form input safely: field limits, control characters, UTF-8.

Every form in the app declares its fields (name, maximum length, whether it is required, an
optional check that normalises the value or refuses it). ``read_form`` applies the rules that
hold for every field — one value per name, no NUL or other control characters, a length
limit — before the field's own check, so a service only ever sees clean, bounded strings.

Form bodies that are not valid UTF-8 are refused with a 400 by a tween: WebOb would otherwise
replace the bad bytes silently and the damaged text could be saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge
from pyramid.i18n import TranslationString
from pyramid.request import Request
from pyramid.response import Response
from pyramid.tweens import EXCVIEW

from frontiers_de.config import SiteSettings
from frontiers_de.i18n import _

# Tab, line feed and carriage return are fine in multi-line text; every other C0 control
# character (NUL above all) and DEL are refused: they only ever come from tampering.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


class FieldError(ValueError):
    """A field's value is refused; ``message`` says why, in words for the reader."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Field:
    """One form field and its rules."""

    name: str
    max_length: int = 200
    required: bool = False
    multiline: bool = False
    strip: bool = True  # passwords keep their spaces
    check: Callable[[str], Any] | None = None  # normalises the value or raises FieldError


@dataclass
class FormResult:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, TranslationString] = field(default_factory=dict)
    # What was sent, bounded and without NULs, to show a refused form again for correction.
    sent: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_form(post: Any, fields: Sequence[Field]) -> FormResult:
    """Read ``fields`` from a WebOb MultiDict (``request.POST``) and apply their rules."""
    result = FormResult()
    for f in fields:
        raw_values = post.getall(f.name) if hasattr(post, "getall") else [post.get(f.name)]
        raw_values = [v for v in raw_values if v is not None]
        if len(raw_values) > 1:
            result.errors[f.name] = _("This field was sent more than once.")
            continue
        raw = raw_values[0] if raw_values else ""
        if not isinstance(raw, str):  # a file upload where text was expected
            result.errors[f.name] = _("This field must be text.")
            continue
        result.sent[f.name] = raw[: f.max_length + 100].replace("\x00", "")
        value = raw.strip() if f.strip else raw
        if "\x00" in value:
            result.errors[f.name] = _("This field contains a NUL character, which is not allowed.")
            continue
        pattern = _CONTROL if f.multiline else _CONTROL_SINGLE_LINE
        if pattern.search(value):
            result.errors[f.name] = _(
                "This field contains control characters, which are not allowed."
            )
            continue
        if len(value) > f.max_length:
            result.errors[f.name] = _(
                "This field is too long: at most ${max} characters (you sent ${length}).",
                mapping={"max": f.max_length, "length": len(value)},
            )
            continue
        if not value:
            if f.required:
                result.errors[f.name] = _("This field is required.")
            else:
                result.values[f.name] = ""
            continue
        if f.check is not None:
            try:
                value = f.check(value)
            except FieldError as exc:
                result.errors[f.name] = exc.message
                continue
        result.values[f.name] = value
    return result


# What separates the items of a list typed on one line (keywords, research interests):
# commas and semicolons, Chinese ones too, the enumeration comma and new lines.
_LIST_SPLIT = re.compile(r"[;,，；、\n]+")


def split_terms(text: str) -> list[str]:
    """The items of a list typed on one line, white space collapsed, each once (case
    ignored), in the order given."""
    out: list[str] = []
    for term in _LIST_SPLIT.split(text or ""):
        term = " ".join(term.split())
        if term and term.casefold() not in {t.casefold() for t in out}:
            out.append(term)
    return out


def translate_errors(request: Request, errors: Mapping[str, TranslationString]) -> dict[str, str]:
    """Errors in the reader's language, ready for the template."""
    return {name: request.localizer.translate(msg) for name, msg in errors.items()}


# --- a clear 400 for form bodies that are not UTF-8 -----------------------------------------

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Forms without file uploads are small; a larger urlencoded body is refused before parsing.
DEFAULT_MAX_FORM_BYTES = SiteSettings.max_form_bytes
# Registry key of the largest upload a form accepts (set by a domain's includeme), and what a
# multipart body may carry beyond it (the other fields, the part headers).
MAX_UPLOAD_KEY = "fde.max_upload_bytes"
MULTIPART_OVERHEAD_BYTES = 1024 * 1024


def allow_uploads(registry: Any, max_bytes: int) -> None:
    """Let multipart bodies carry a file of ``max_bytes`` (the largest of all callers)."""
    registry[MAX_UPLOAD_KEY] = max(int(registry.get(MAX_UPLOAD_KEY) or 0), max_bytes)


def form_body_is_utf8(request: Request) -> bool:
    """Whether every text field of a form body decodes as UTF-8."""
    if request.content_type == "application/x-www-form-urlencoded":
        # Raw bytes and %-escapes alike must make UTF-8 once unescaped.
        try:
            for part in request.body.split(b"&"):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    # multipart: WebOb decodes text fields with replacement, so a replacement character marks
    # bytes that were not UTF-8. (One typed on purpose is refused too: no form needs it.)
    # The raw body is not searched: it may hold a large upload.
    for name, value in request.POST.items():
        if "\ufffd" in name or (isinstance(value, str) and "\ufffd" in value):
            return False
    return True


def address_is_utf8(environ: Mapping[str, Any]) -> bool:
    """Whether the path and the query string decode as UTF-8 (WSGI gives them as latin-1)."""
    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        query = environ.get("QUERY_STRING", "").encode("latin-1")
        for part in query.split(b"&"):
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return False
    return True


# Plain on purpose: the site's pages echo the address (language switch, sign-in "next"),
# which is exactly what cannot be decoded here.
_BAD_ADDRESS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head>
<body><main><h1>Bad request</h1>
<p>The address contains bytes that are not UTF-8 text. Please check the link.</p>
<p lang="zh-Hans">该网址含有非 UTF-8 编码的字节，请检查链接。</p>
<p><a href="/">Home / 首页</a></p></main></body></html>
"""


def utf8_form_tween_factory(handler: Callable[[Request], Response], registry: Any) -> Any:
    def utf8_form_tween(request: Request) -> Response:
        if not address_is_utf8(request.environ):
            return Response(
                _BAD_ADDRESS_PAGE, status=400, content_type="text/html", charset="utf-8"
            )
        limit = SiteSettings.of(registry.settings).max_form_bytes
        if (
            request.content_type == "application/x-www-form-urlencoded"
            and (request.content_length or 0) > limit
        ):
            message = _(
                "The form is too large: at most ${kib} KiB may be sent at once.",
                mapping={"kib": limit // 1024},
            )
            raise HTTPRequestEntityTooLarge(request.localizer.translate(message))
        # Uploads: the largest file any form takes (registered by the domains that take
        # files) plus room for the other fields, refused before WebOb spools the body.
        upload_limit = registry.get(MAX_UPLOAD_KEY)
        if (
            upload_limit
            and request.content_type == "multipart/form-data"
            and (request.content_length or 0) > upload_limit + MULTIPART_OVERHEAD_BYTES
        ):
            message = _(
                "The file is too large: at most ${mib} MiB may be uploaded.",
                mapping={"mib": max(1, upload_limit // (1024 * 1024))},
            )
            raise HTTPRequestEntityTooLarge(request.localizer.translate(message))
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and request.content_type in _FORM_TYPES
            and not form_body_is_utf8(request)
        ):
            message = _("The form was not sent as UTF-8 text. Please send it again from the page.")
            raise HTTPBadRequest(request.localizer.translate(message))
        return handler(request)

    return utf8_form_tween


def ensure_context(request: Request) -> None:
    """Give a request refused by a tween (before routing) the site's root as its context,
    so that the error page's navigation can ask what the user may do."""
    if getattr(request, "context", None) is None:
        from frontiers_de.security.root import JournalRoot

        request.context = JournalRoot(request)


def too_large(exc: HTTPRequestEntityTooLarge, request: Request) -> dict[str, Any]:
    """The site's error page for a form body over the limit."""
    ensure_context(request)
    request.response.status_int = 413
    return {"detail": exc.detail if isinstance(exc.detail, str) else ""}


def includeme(config: Configurator) -> None:
    config.add_exception_view(
        too_large, context=HTTPRequestEntityTooLarge, renderer="errors/400.html"
    )
    # Below the exception view, so the 400 is rendered by the site's error page.
    config.add_tween("frontiers_de.forms.utf8_form_tween_factory", under=EXCVIEW)
