"""Reflow (WCAG 1.4.10) with text spacing (1.4.12): no page scrolls sideways at 320 CSS px
when the reader's own stylesheet sets line height 1.5, paragraph spacing 2em, letter
spacing .12em and word spacing .16em.

The pages are found, not listed by hand: on the demo journal (``frontiers_de.demo.seed``:
a user of every role, submissions in each state, reviews, a published issue) the browser
starts from each role's own pages and follows the links it finds, one page of each route
(found in the app's route table), so a template that gains a page is
measured without this file changing. Pages no link reaches (a refused form, a missing
page) are added by hand. ``FDE_SHOTS=<folder>`` keeps a 320 px screenshot of each page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import pytest
from pyramid.interfaces import IRoutesMapper
from sqlalchemy import select

from frontiers_de import demo
from frontiers_de.review.models import Review, ReviewAssignment, ReviewRound
from tests.factories import app_session

pytestmark = pytest.mark.browser

WIDTH = 320

# WCAG 1.4.12's text spacing, as a reader's stylesheet would set it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""

# Each role's own pages to start from (the header and the pages link the rest).
STARTS = {
    None: [
        "/",
        "/issues",
        "/about",
        "/news",
        "/search?q=education",
        "/login",
        "/register",
        "/password/reset",
        "/no-such-page",
    ],
    "author": ["/submissions", "/account", "/account/notifications", "/reviews"],
    "reviewer": ["/reviews"],
    "editor": [
        "/editorial",
        "/editorial/submissions",
        "/editorial/reviewers",
        "/editorial/statistics",
        "/editorial/news",
        "/editorial/usage",
    ],
    "production": ["/production", "/production/issues"],
    "admin": [
        "/admin/journal",
        "/admin/roles",
        "/admin/pages",
        "/admin/emails",
        "/admin/deadlines",
        "/production/dois",
        "/production/dois/deposits",
    ],
}

# Every table.data scrolls in its own region: focusable, a region, named by an element
# that is on the page.
UNLABELLED_TABLES = """Array.from(document.querySelectorAll('table.data'))
  .filter(t => {
    const box = t.parentElement;
    const label = box.getAttribute('aria-labelledby');
    const named = label && document.getElementById(label);
    return !(box.classList.contains('table-scroll') && box.getAttribute('role') === 'region'
             && box.getAttribute('tabindex') === '0' && named && named.textContent.trim());
  })
  .map(t => t.id || t.className)"""

# Not pages (files, feeds, exports), or links that act (sign out) or spend a token.
SKIP = re.compile(
    r"/logout|/static/|/files?/|/download|\.(pdf|xml|bib|ris|json|csv|zip|png|jpe?g|svg|docx)"
    r"(\?|$)|/feed|/oai|/cite\b|/cite\.|/invitations/|/proofs?/[A-Za-z0-9_-]{20,}|answer="
    r"|/(xml|pdf|jats|bibtex|ris|csl)(\?|$)|/confirm/|/verify/|/reset/[A-Za-z0-9_-]{20,}|/export|/usage/report\.csv"
)


def route_of(routes, path: str) -> str:
    """The name of the route ``path`` reaches (one page of each is measured), with the
    query's keys: a filtered list is another page than the plain one."""
    parts = urlsplit(path)
    keys = sorted({q.split("=")[0] for q in parts.query.split("&") if q} - {"page"})
    name = next((r.name for r in routes if r.match(parts.path) is not None), parts.path)
    return name + ("?" + "&".join(keys) if keys else "")


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not sign in"


def measure(page, base: str, path: str) -> tuple[int, list[str]]:
    """The page's width at 320 px with text spacing, and what sticks out when too wide."""
    page.goto(base + path)
    page.add_style_tag(content=TEXT_SPACING)
    unlabelled = page.evaluate(UNLABELLED_TABLES)
    assert not unlabelled, f"{path}: tables outside a labelled scroll region: {unlabelled}"
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits: list[str] = []
    if width > WIDTH:
        culprits = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .filter(e => !e.parentElement ||
                             e.parentElement.getBoundingClientRect().right <= limit + 1)
                .slice(0, 6)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                          + ' ' + Math.round(e.getBoundingClientRect().right))""",
            WIDTH,
        )
    folder = os.environ.get("FDE_SHOTS")
    if folder:
        name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
        page.screenshot(path=f"{folder}/reflow-{name}.png", full_page=True)
    return width, culprits


def links(page, base: str) -> Iterable[str]:
    for href in page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)"):
        if not href.startswith(base):
            continue
        path = href[len(base) :].split("#")[0]
        if path and not SKIP.search(path):
            yield path


def crawl(page, base: str, starts: list[str], routes, limit: int = 80) -> dict:
    """Each route reached from ``starts``, once: its width and what sticks out."""
    widths: dict[str, tuple[int, list[str]]] = {}
    seen: set[str] = set()
    queue = list(starts)
    while queue and len(widths) < limit:
        path = queue.pop(0)
        key = route_of(routes, path)
        if key in seen:
            continue
        seen.add(key)
        try:
            widths[path] = measure(page, base, path)
        except Exception as exc:  # a link that turns out to be a file
            if "Download is starting" not in str(exc):
                raise
            continue
        queue.extend(p for p in links(page, base) if route_of(routes, p) not in seen)
    return widths


def refused_forms(page, base: str) -> dict[str, tuple[int, list[str]]]:
    """The sign-in and registration forms refused: the error summary and the marked fields."""
    widths = {}
    for path in ("/login", "/register"):
        page.goto(base + path)
        page.click("main form.stacked button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("[data-error-summary]").count() == 1
        page.add_style_tag(content=TEXT_SPACING)
        widths[path + " (refused)"] = (
            page.evaluate("document.documentElement.scrollWidth"),
            [],
        )
    return widths


def test_no_page_scrolls_sideways_at_320_px_with_text_spacing(
    live_server, browser, wsgi_app, app_settings
):
    with app_session(wsgi_app) as db:
        demo.seed(db, app_settings)
        reviewed = db.scalar(
            select(ReviewRound.submission_id)
            .join(ReviewAssignment, ReviewAssignment.round_id == ReviewRound.id)
            .join(Review, Review.assignment_id == ReviewAssignment.id)
        )
    # Pages no link leads to: the reviews side by side (linked only where two are in).
    starts = dict(STARTS)
    if reviewed is not None:
        starts["editor"] = [*starts["editor"], f"/editorial/submissions/{reviewed}/review/compare"]
    passwords = {u.key: (u.email, u.password) for u in demo.DEMO_USERS}
    routes = wsgi_app.registry.getUtility(IRoutesMapper).get_routes()
    too_wide: dict[str, tuple[int, list[str]]] = {}
    measured = 0
    for role, role_starts in starts.items():
        # Each role sees its own versions of shared pages (the header, the account menu).
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 640}, locale="en-GB", bypass_csp=True
        )
        page = context.new_page()
        if role is not None:
            key = {"editor": "eic"}.get(role, role)
            sign_in(page, live_server, *passwords[key])
        widths = crawl(page, live_server, role_starts, routes)
        if role is None:
            widths |= refused_forms(page, live_server)
        measured += len(widths)
        too_wide |= {f"{role or 'reader'} {p}": w for p, w in widths.items() if w[0] > WIDTH}
        context.close()
    assert measured > 60, measured
    assert not too_wide, "\n".join(f"{k}: {w} px, {c}" for k, (w, c) in too_wide.items())
