"""A real browser (Debian's Chromium, driven by Playwright) against the app served by
waitress on a loopback port (``live_server``, in tests/conftest.py).

Every page a test opens runs under the headers the app really sends, and a test fails when
the browser refuses anything under the Content-Security-Policy: each context records the
page's ``securitypolicyviolation`` events and the console's CSP refusals, and the test's
teardown asserts there were none. So an inline script or style that a template or the
reader HTML gains later shows up here, not in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# Runs in every page before its own scripts: a violation is reported to the test through
# an exposed binding (and kept on the window for a test that wants to look).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const seen = `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} ` +
    `at ${event.sourceFile || document.URL}:${event.lineNumber}`;
  window.__cspViolations.push(seen);
  if (window.__fdeCspViolation) { window.__fdeCspViolation(seen); }
}, true);
"""


class ViolationWatchingBrowser:
    """The session's browser, whose new contexts report CSP violations to ``violations``."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.expose_binding(
            "__fdeCspViolation", lambda source, seen: self.violations.append(seen)
        )
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("console", self._console)  # every page of the context, popups too
        return context

    def new_page(self, **kwargs: Any) -> Any:
        return self.new_context(**kwargs).new_page()

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append(f"console: {text}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser(browser) -> Iterator[ViolationWatchingBrowser]:  # the session's Chromium
    watching = ViolationWatchingBrowser(browser)
    yield watching
    assert watching.violations == [], "the Content-Security-Policy refused: " + "; ".join(
        dict.fromkeys(watching.violations)
    )


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    p = context.new_page()
    yield p
    context.close()
