"""The web test app's isolation (tests/conftest.py ``wsgi_app``): what a request commits is
seen by the next request and by ``app_session``, and is gone after the test; the tasks a
request queues run after it, in the test's thread, on the test's connection."""

from __future__ import annotations

from sqlalchemy import func, select, text

from frontiers_de import tasks
from frontiers_de.accounts.models import User
from frontiers_de.mail.models import OutboxEmail, OutboxState
from tests.conftest import InlineTasks, _rolled_back
from tests.factories import app_session, make_journal, make_user
from tests.web import client_for, csrf


def _users(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM users")).scalar_one()


def test_a_commit_inside_the_rolled_back_transaction_is_gone_afterwards(engine):
    before = _users(engine)
    with _rolled_back(engine) as factory:
        with factory() as db:
            make_user(db, "ada@example.org")
            db.commit()  # releases a savepoint only
        with factory() as db:  # a second session on the same connection sees it
            assert db.scalar(select(func.count(User.id))) == before + 1
    assert _users(engine) == before


def test_requests_see_what_earlier_requests_and_the_test_committed(wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
        make_user(db, "ada@example.org", given_name="Ada")
    client = client_for(wsgi_app, "ada@example.org")  # the sign-in request commits
    assert "Ada" in client.get("/account").text
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "ada@example.org"))
        assert user.last_login_at is not None  # written by the sign-in request


def test_the_tasks_a_request_queues_run_after_it_in_the_tests_thread(wsgi_app, journal):
    assert isinstance(tasks.embedded_workers, InlineTasks)
    client = client_for(wsgi_app)
    page = client.get("/password/reset")
    with app_session(wsgi_app) as db:
        make_user(db, "ada@example.org")
    client.post("/password/reset", {"csrf_token": csrf(page), "email": "ada@example.org"})
    # The mail task ran once the request had finished: nothing is left queued, and the
    # outbox row it sent is marked sent, seen on the test's connection.
    assert tasks.embedded_workers.pending == 0
    with app_session(wsgi_app) as db:
        (mail,) = db.scalars(select(OutboxEmail)).all()
        assert mail.state is OutboxState.SENT


def test_the_rows_of_the_previous_tests_are_gone(engine):
    # Runs after the two tests above (file order): neither left a user or an email behind.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox_emails")).scalar_one() == 0
    assert _users(engine) == 0
