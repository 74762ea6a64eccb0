"""A real browser (Debian's Chromium, driven by Playwright) against the app served by
waitress on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest


@pytest.fixture
def live_server(wsgi_app) -> Iterator[str]:
    from waitress.server import create_server

    server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    p = context.new_page()
    yield p
    context.close()
