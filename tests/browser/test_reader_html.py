"""The reader HTML in a real browser (Debian Chromium through Playwright): MathML is laid
out, and nothing in a hostile article runs, even when every element is hovered, focused
and clicked. The fragment is loaded as the app embeds it, without the standalone page's
Content-Security-Policy, so the stylesheet's escaping alone has to hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontiers_de.production.jats.html import article_fragment
from frontiers_de.xml.safe import parse_xml

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jats"

# Fire every kind of event a handler could have been attached to, on every element.
PROVOKE = """() => {
  const kinds = ['mouseover', 'mouseenter', 'click', 'focus', 'blur', 'load', 'error',
                 'mousedown', 'mouseup', 'keydown', 'input', 'change', 'animationstart'];
  let fired = 0;
  for (const el of document.querySelectorAll('body *')) {
    for (const kind of kinds) { el.dispatchEvent(new Event(kind, {bubbles: true})); fired++; }
    if (typeof el.focus === 'function') el.focus();
  }
  return fired;
}"""


@pytest.fixture
def chromium_page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    # no network: a link that escaped would fail to load rather than leave the machine
    context.route("**/*", lambda route: route.abort())
    yield context.new_page()
    context.close()


def show(page, fixture: str) -> list[str]:
    """Load the fragment of a fixture into a blank page; return the dialogs it opens."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    fragment = article_fragment(parse_xml(FIXTURES / fixture))
    page.set_content(f"<!DOCTYPE html><html><body>{fragment}</body></html>")
    return dialogs


def test_mathml_is_laid_out_by_the_browser(chromium_page) -> None:
    show(chromium_page, "article-valid.xml")
    block = chromium_page.locator("div.disp-formula math")
    assert block.evaluate("el => el.namespaceURI") == "http://www.w3.org/1998/Math/MathML"
    box = block.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10
    # the superscript of c² sits higher than its base: real layout, not flat text
    base = chromium_page.locator("div.disp-formula msup > mi").bounding_box()
    exponent = chromium_page.locator("div.disp-formula msup > mn").bounding_box()
    assert exponent["y"] < base["y"]


def test_hostile_article_runs_nothing(chromium_page) -> None:
    dialogs = show(chromium_page, "article-hostile.xml")
    assert chromium_page.evaluate(PROVOKE) > 100
    chromium_page.wait_for_timeout(200)
    assert dialogs == []
    # every URL as the browser itself parses it: nothing but web, mail and in-page links
    protocols = chromium_page.evaluate(
        "() => [...document.querySelectorAll('[href], [src]')]"
        ".map(el => new URL(el.getAttribute('href') || el.getAttribute('src'),"
        " document.baseURI).protocol)"
    )
    assert protocols and set(protocols) <= {"http:", "https:", "mailto:", "about:"}
    assert chromium_page.evaluate("() => document.scripts.length") == 0
    title = chromium_page.locator("h1").inner_text()
    assert title == "<script>alert('title')</script>"
