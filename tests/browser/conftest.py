"""A real browser (Debian's Chromium, driven by Playwright) against the app served by
waitress on a loopback port (``live_server``, in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    p = context.new_page()
    yield p
    context.close()
