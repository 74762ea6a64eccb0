"""Two people acting on the same thing at the same moment, through the real server.

Found by a bounded load run: two editors acting on one submission at once, or two tabs
autosaving one draft, and the loser got waitress's raw 500 (18-20 of 40 races; once a
PostgreSQL deadlock). The conflict was retryable, but the error page read the user's
preferred language from the failed session, so the retry never happened.

Replayed here against ``live_server`` (waitress, loopback) with a few threads released
together: no 5xx ever, one request wins, the loser gets the clear stale-form refusal (the
"has moved on" message for an editor, 409 JSON for an autosave), and nothing is half
written (one audit event, one review round, the winner's text).
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from frontiers_de.editorial.models import AuditEvent, Decision
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.security.live_clients import TIMEOUT, at_once, csrf_of, form_values, signed_in
from tests.submission_factories import SubmissionFactory

REASON = "The study concerns hospital logistics, which is outside the journal's scope."
# Each round is one race; a few are enough to make one at least collide (the load run lost
# about half of them), and bounded so that the shared machine is not loaded.
ROUNDS = 6
MOVED_ON = "This is no longer possible: the submission has moved on."


def _submitted(wsgi_app, count: int) -> list[int]:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "author@example.org", journal=journal)
        for email in ("editor.a@example.org", "editor.b@example.org"):
            make_user(db, email, roles=[Role.SECTION_EDITOR], journal=journal)
        ids = []
        for n in range(count):
            row = SubmissionFactory(
                db=db, journal=journal, submitter=author, title=f"Paper {n}", abstract=""
            )
            ids.append(row.id)
    return ids


def _act(client: requests.Session, base: str, submission_id: int, action: str, token: str):
    def call() -> tuple[int, str]:
        res = client.post(
            f"{base}/editorial/submissions/{submission_id}/{action}",
            data={"csrf_token": token, "reason": REASON},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if res.status_code != 302:
            return res.status_code, res.text
        # The flash message is on the page the editor is sent back to.
        page = client.get(urljoin(base, res.headers["Location"]), timeout=TIMEOUT)
        return res.status_code, page.text

    return call


def _editors(live_server: str) -> tuple[tuple[requests.Session, str], ...]:
    out = []
    for email in ("editor.a@example.org", "editor.b@example.org"):
        client = signed_in(live_server, email)
        token = csrf_of(client.get(f"{live_server}/editorial", timeout=TIMEOUT).text)
        out.append((client, token))
    return tuple(out)


def test_two_editors_acting_on_one_submission_at_once(wsgi_app, live_server):
    ids = _submitted(wsgi_app, ROUNDS)
    (a, token_a), (b, token_b) = _editors(live_server)
    for submission_id in ids:
        results = at_once(
            [
                _act(a, live_server, submission_id, "desk_reject", token_a),
                _act(b, live_server, submission_id, "send_to_review", token_b),
            ]
        )
        for result in results:
            assert not isinstance(result, Exception), result
            status, text = result
            assert status == 302, f"submission {submission_id}: HTTP {status}\n{text[:800]}"
        texts = [text for _, text in results]
        won = [
            f"Submission {submission_id} is rejected" in texts[0],
            f"Submission {submission_id} is sent to peer review" in texts[1],
        ]
        assert won.count(True) == 1, texts
        loser = texts[won.index(False)]
        assert MOVED_ON in loser
        with app_session(wsgi_app) as db:
            row = db.get(Submission, submission_id)
            events = db.scalars(
                select(AuditEvent.action).where(AuditEvent.submission_id == submission_id)
            ).all()
            rounds = db.scalar(
                select(func.count()).where(ReviewRound.submission_id == submission_id)
            )
            decisions = db.scalar(
                select(func.count()).where(Decision.submission_id == submission_id)
            )
            if won[0]:
                assert row.state is SubmissionState.REJECTED
                assert (events, rounds, decisions) == (["desk_reject"], 0, 1)
            else:
                assert row.state is SubmissionState.UNDER_REVIEW
                assert (events, rounds, decisions) == (["send_to_review"], 1, 0)


def test_two_editors_making_the_same_move_at_once_open_one_round(wsgi_app, live_server):
    ids = _submitted(wsgi_app, ROUNDS)
    (a, token_a), (b, token_b) = _editors(live_server)
    for submission_id in ids:
        results = at_once(
            [
                _act(a, live_server, submission_id, "send_to_review", token_a),
                _act(b, live_server, submission_id, "send_to_review", token_b),
            ]
        )
        statuses = [r[0] if not isinstance(r, Exception) else r for r in results]
        assert statuses == [302, 302], [
            r if isinstance(r, Exception) else r[1][:800] for r in results
        ]
        texts = [text for _, text in results]
        assert sum(f"Submission {submission_id} is sent to peer review" in t for t in texts) == 1
        assert sum(MOVED_ON in t for t in texts) == 1
        with app_session(wsgi_app) as db:
            assert (
                db.scalar(select(func.count()).where(ReviewRound.submission_id == submission_id))
                == 1
            )
            assert db.scalars(
                select(AuditEvent.action).where(AuditEvent.submission_id == submission_id)
            ).all() == ["send_to_review"]


def test_two_tabs_autosaving_one_draft_at_once(wsgi_app, live_server):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "author@example.org", journal=journal)
    author = signed_in(live_server, "author@example.org")
    new = author.get(f"{live_server}/submissions/new", timeout=TIMEOUT)
    section = BeautifulSoup(new.text, "html.parser").find("input", {"name": "section_id"})["value"]
    started = author.post(
        f"{live_server}/submissions/new",
        data={"csrf_token": csrf_of(new.text), "section_id": section},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert started.status_code == 302
    details_url = urljoin(live_server, started.headers["Location"])
    json_only = {"Accept": "application/json"}

    def autosave(values: dict[str, str], title: str):
        def call() -> requests.Response:
            return author.post(
                details_url, data={**values, "title": title}, headers=json_only, timeout=TIMEOUT
            )

        return call

    for n in range(ROUNDS):
        # Both tabs were opened on the same version of the draft.
        values = form_values(author.get(details_url, timeout=TIMEOUT).text, "version")
        version = int(values["version"])
        first, second = at_once(
            [autosave(values, f"Tab one, round {n}"), autosave(values, f"Tab two, round {n}")]
        )
        for res in (first, second):
            assert not isinstance(res, Exception), res
            assert res.headers["Content-Type"].startswith("application/json"), res.text[:800]
        assert sorted([first.status_code, second.status_code]) == [200, 409], (
            first.status_code,
            first.text[:300],
            second.status_code,
            second.text[:300],
        )
        winner, loser = (first, second) if first.status_code == 200 else (second, first)
        assert winner.json()["version"] == version + 1
        assert "changed elsewhere" in loser.json()["message"]
        with app_session(wsgi_app) as db:
            draft = db.scalar(select(Submission).order_by(Submission.id.desc()).limit(1))
            assert draft.version == version + 1
            expected = "Tab one" if winner is first else "Tab two"
            assert draft.title == f"{expected}, round {n}"


@pytest.mark.browser
def test_the_tab_that_lost_shows_why_in_the_browser(wsgi_app, live_server, browser):
    """Two tabs of one draft in Chromium: the second tab's autosave is refused (409) and
    static/js/autosave.js shows the server's message instead of failing silently."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "author@example.org", journal=journal)
    context = browser.new_context(locale="en-GB")
    try:
        one = context.new_page()
        one.goto(live_server + "/login")
        one.fill("#email", "author@example.org")
        one.fill("#password", DEFAULT_PASSWORD)
        one.click("main button[type=submit]")
        one.goto(live_server + "/submissions/new")
        one.check("input[name=section_id] >> nth=0")
        one.click("text=Start the submission")
        two = context.new_page()
        two.goto(one.url)

        one.fill("#title", "Typed in the first tab")
        one.wait_for_function(
            # A function, not an expression: the site's CSP refuses eval (no 'unsafe-eval').
            "() => document.querySelector('.autosave-status').textContent"
            ".startsWith('Draft saved')",
            timeout=15000,
        )
        two.fill("#title", "Typed in the second tab")
        two.wait_for_function(
            "() => document.querySelector('.autosave-status').textContent"
            ".includes('changed elsewhere')",
            timeout=15000,
        )
        # The second tab keeps what was typed, and the draft keeps the first tab's save.
        assert two.input_value("#title") == "Typed in the second tab"
    finally:
        context.close()
    with app_session(wsgi_app) as db:
        draft = db.scalar(select(Submission).order_by(Submission.id.desc()).limit(1))
        assert draft.title == "Typed in the first tab"
