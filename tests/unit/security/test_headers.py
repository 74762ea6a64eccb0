"""One rule for the security headers of every response (frontiers_de/security/headers.py)."""

from __future__ import annotations

import pytest
from pyramid import testing
from pyramid.events import NewResponse
from pyramid.response import Response

from frontiers_de.responses import file_response
from frontiers_de.security.headers import (
    DATA_POLICY,
    SITE_POLICY,
    apply_security_headers,
    as_attachment,
    on_new_response,
    policy_for,
)
from tests.factories import app_session, make_journal


def test_the_site_policy_is_strict_and_inline_free() -> None:
    directives = {d.strip() for d in SITE_POLICY.split(";")}
    assert {
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    } <= directives
    assert "unsafe-inline" not in SITE_POLICY and "unsafe-eval" not in SITE_POLICY
    assert DATA_POLICY == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    ("media_type", "policy"),
    [
        ("text/html", SITE_POLICY),
        ("application/xhtml+xml", SITE_POLICY),
        ("application/xml", DATA_POLICY),
        ("text/xml", DATA_POLICY),
        ("application/atom+xml", DATA_POLICY),
        ("image/svg+xml", DATA_POLICY),
        ("application/json", DATA_POLICY),
        ("text/plain", DATA_POLICY),
        ("image/png", DATA_POLICY),
        ("application/pdf", None),  # Chromium's viewer will not open in a sandbox
    ],
)
def test_policy_by_media_type(media_type: str, policy: str | None) -> None:
    assert policy_for(media_type) == policy


def test_a_page_gets_the_site_policy_and_nosniff() -> None:
    response = Response("<p>hi</p>", content_type="text/html")
    apply_security_headers(response)
    assert response.headers["Content-Security-Policy"] == SITE_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("media_type", ["application/xml", "text/xml", "application/atom+xml"])
def test_xml_is_always_a_sandboxed_attachment(media_type: str) -> None:
    shown = file_response(b"<a/>", media_type, "a.xml", inline=True)
    apply_security_headers(shown)
    assert shown.headers["Content-Disposition"] == 'attachment; filename="a.xml"'
    assert shown.headers["Content-Security-Policy"] == DATA_POLICY
    bare = Response(b"<a/>", content_type=media_type)
    apply_security_headers(bare)
    assert bare.headers["Content-Disposition"] == "attachment"
    assert bare.headers["X-Content-Type-Options"] == "nosniff"


def test_a_policy_the_view_chose_is_kept() -> None:
    response = Response(b"<svg/>", content_type="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Content-Disposition"] = "inline"
    apply_security_headers(response)
    assert response.headers["Content-Security-Policy"].endswith("style-src 'unsafe-inline'")
    assert response.headers["Content-Disposition"] == "inline"


def test_a_pdf_keeps_its_viewer() -> None:
    response = file_response(b"%PDF-1.7", "application/pdf", "a.pdf", inline=True)
    apply_security_headers(response)
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "attachment"),
        ("inline", "attachment"),
        ('inline; filename="a.xml"', 'attachment; filename="a.xml"'),
        ('INLINE;filename="a.xml"', 'attachment;filename="a.xml"'),
        ('attachment; filename="a.xml"', 'attachment; filename="a.xml"'),
    ],
)
def test_as_attachment(given: str | None, expected: str) -> None:
    assert as_attachment(given) == expected


@pytest.mark.parametrize(
    ("path", "status", "policy"),
    [
        ("/", 200, SITE_POLICY),
        ("/no/such/page", 404, SITE_POLICY),  # error pages too
        ("/feed.atom", 200, DATA_POLICY),
        ("/oai?verb=Identify", 200, DATA_POLICY),
    ],
)
def test_through_the_app(testapp, wsgi_app, path: str, status: int, policy: str) -> None:
    with app_session(wsgi_app) as db:
        make_journal(db)
    response = testapp.get(path, status="*")
    assert response.status_int == status
    assert response.headers["Content-Security-Policy"] == policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_files_are_data(testapp) -> None:
    home = testapp.get("/")
    css = home.html.select_one("link[rel=stylesheet]")["href"]
    response = testapp.get(css)
    assert response.headers["Content-Security-Policy"] == DATA_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _event(path: str, includes: str) -> NewResponse:
    config = testing.setUp(settings={"pyramid.includes": includes})
    request = testing.DummyRequest(path=path)
    request.registry = config.registry
    return NewResponse(request, Response("<p/>", content_type="text/html"))


def test_only_the_development_toolbar_keeps_its_own_pages() -> None:
    try:
        toolbar = _event("/_debug_toolbar/abc", "pyramid_debugtoolbar")
        on_new_response(toolbar)
        assert "Content-Security-Policy" not in toolbar.response.headers
        # without the toolbar installed, that path is an ordinary page (a 404)
        plain = _event("/_debug_toolbar/abc", "")
        on_new_response(plain)
        assert plain.response.headers["Content-Security-Policy"] == SITE_POLICY
    finally:
        testing.tearDown()
