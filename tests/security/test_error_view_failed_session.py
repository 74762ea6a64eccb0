"""The error page of a request whose transaction failed must not ask that session again.

Found by a bounded load run: a request that lost a race (another request saved the same
submission between its read and its write) failed in its flush; the error page then read
``user.preferred_language`` to pick its language, the failed session answered with
PendingRollbackError, and that second error, raised inside the error page, reached waitress
(raw 500) and hid the first from pyramid_retry, so the retry never happened.

Replayed deterministically with retries switched off (``retry.attempts = 1``), so that the
lost race is the answer: another connection changes the draft while the request waits for
its row (PostgreSQL), or holds SQLite's write lock past its busy timeout. The answer is the
clear "someone else changed this, reload" refusal: 409, as a page in the language of the
reader's cookie, or as JSON for the autosave script; nothing is half written.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text

from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.security.live_clients import TIMEOUT, csrf_of, form_values, signed_in
from tests.submission_factories import SubmissionFactory

CONFLICT_EN = "Someone else changed this at the same moment"
CONFLICT_ZH = "其他人在同一时刻更改了此内容"


@pytest.fixture
def app_settings(app_settings):
    # One attempt: the lost race is the answer instead of being retried away.
    return {**app_settings, "retry.attempts": "1"}


@contextlib.contextmanager
def racing_writer(database_url: str, submission_id: int) -> Iterator[Callable[[], None]]:
    """Another writer on the submission's row while the request runs. Yields ``release``:
    call it once the request is under way. PostgreSQL: the row's version is moved on under
    a row lock, committed once the request waits for that row, so its UPDATE finds an old
    version (StaleDataError). SQLite: the write lock is held past the app's busy timeout,
    so the request's write fails with "database is locked"."""
    if database_url.startswith("sqlite"):
        path = database_url.split("sqlite:///", 1)[1]
        conn = sqlite3.connect(path, timeout=1, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE submissions SET title = 'Changed in another tab', version = version + 1 "
            "WHERE id = ?",
            (submission_id,),
        )

        def release() -> None:
            return None  # held until the request has given up on the lock

        try:
            yield release
        finally:
            conn.execute("COMMIT")
            conn.close()
        return
    engine = create_engine(database_url)
    conn = engine.connect()
    trans = conn.begin()
    conn.execute(
        text(
            "UPDATE submissions SET title = 'Changed in another tab', version = version + 1 "
            "WHERE id = :id"
        ),
        {"id": submission_id},
    )
    own_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def release() -> None:
        # Commit once the request's UPDATE is waiting for our row lock (polled, bounded).
        watcher = engine.connect()
        try:
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                waiting = watcher.execute(
                    text("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> :pid"),
                    {"pid": own_pid},
                ).scalar_one()
                watcher.rollback()
                if waiting:
                    break
                time.sleep(0.02)
            else:
                raise AssertionError("the request never waited for the row")
        finally:
            watcher.close()
        trans.commit()

    try:
        yield release
    finally:
        if trans.is_active:
            trans.commit()
        conn.close()
        engine.dispose()


def _in_thread(call: Callable[[], requests.Response]) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


def _draft(wsgi_app, live_server) -> tuple[requests.Session, str, int]:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "author@example.org", journal=journal, preferred_language="en")
    author = signed_in(live_server, "author@example.org")
    new = author.get(f"{live_server}/submissions/new", timeout=TIMEOUT)
    section = BeautifulSoup(new.text, "html.parser").find("input", {"name": "section_id"})
    started = author.post(
        f"{live_server}/submissions/new",
        data={"csrf_token": csrf_of(new.text), "section_id": section["value"]},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    details_url = urljoin(live_server, started.headers["Location"])
    with app_session(wsgi_app) as db:
        submission_id = max(s.id for s in db.query(Submission).all())
    return author, details_url, submission_id


def _lose_race(database_url, submission_id, call) -> requests.Response:
    with racing_writer(database_url, submission_id) as release:
        thread, out = _in_thread(call)
        release()
        thread.join(TIMEOUT)
    assert out, "the request did not answer"
    return out[0]


def test_a_lost_autosave_answers_409_json_not_a_raw_500(wsgi_app, live_server, database_url):
    author, details_url, submission_id = _draft(wsgi_app, live_server)
    values = form_values(author.get(details_url, timeout=TIMEOUT).text, "version")
    # The reader chose Chinese (cookie); the failed session is not asked for anything.
    author.cookies.set("fde_lang", "zh")

    res = _lose_race(
        database_url,
        submission_id,
        lambda: author.post(
            details_url,
            data={**values, "title": "Typed in this tab"},
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
        ),
    )
    assert res.status_code == 409, res.text[:500]
    assert res.headers["Content-Type"].startswith("application/json")
    assert CONFLICT_ZH in res.json()["message"]
    with app_session(wsgi_app) as db:
        draft = db.get(Submission, submission_id)
        # The other writer's change stands, whole; nothing of the lost save was written.
        assert draft.title == "Changed in another tab"
        assert draft.version == int(values["version"]) + 1
    # The author reloads and saves again: it works.
    again = form_values(author.get(details_url, timeout=TIMEOUT).text, "version")
    ok = author.post(
        details_url,
        data={**again, "title": "Typed in this tab"},
        headers={"Accept": "application/json"},
        timeout=TIMEOUT,
    )
    assert ok.status_code == 200, ok.text[:500]


def test_a_lost_form_post_answers_the_stale_form_page(wsgi_app, live_server, database_url):
    author, details_url, submission_id = _draft(wsgi_app, live_server)
    values = form_values(author.get(details_url, timeout=TIMEOUT).text, "version")

    res = _lose_race(
        database_url,
        submission_id,
        lambda: author.post(
            details_url,
            data={**values, "title": "Typed in this tab"},
            headers={"Referer": details_url, "Accept-Language": "en"},
            allow_redirects=False,
            timeout=TIMEOUT,
        ),
    )
    assert res.status_code == 409, res.text[:500]
    assert "generated by waitress" not in res.text
    page = BeautifulSoup(res.text, "html.parser")
    assert CONFLICT_EN in page.get_text()
    # "Reload" leads back to the form the author was on.
    assert page.find("a", string="Reload the page")["href"] == details_url[len(live_server) :]
    with app_session(wsgi_app) as db:
        assert db.get(Submission, submission_id).title == "Changed in another tab"


def test_an_editor_who_loses_a_race_gets_the_page_in_their_language(
    wsgi_app, live_server, database_url
):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "author@example.org", journal=journal)
        make_user(
            db,
            "editor@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=journal,
            preferred_language="zh",
        )
        submission_id = SubmissionFactory(
            db=db, journal=journal, submitter=author, title="A paper", abstract=""
        ).id
    editor = signed_in(live_server, "editor@example.org")
    token = csrf_of(editor.get(f"{live_server}/editorial", timeout=TIMEOUT).text)
    # The preference is in the cookie too (the language switch sets it): it is what the
    # error page may use, since the user's row is in the failed session.
    editor.cookies.set("fde_lang", "zh")

    res = _lose_race(
        database_url,
        submission_id,
        lambda: editor.post(
            f"{live_server}/editorial/submissions/{submission_id}/send_to_review",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=TIMEOUT,
        ),
    )
    assert res.status_code == 409, res.text[:500]
    assert CONFLICT_ZH in res.text
    with app_session(wsgi_app) as db:
        row = db.get(Submission, submission_id)
        assert row.state is SubmissionState.SUBMITTED
        assert row.title == "Changed in another tab"
